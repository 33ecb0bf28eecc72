"""The `plan` command module, offline: the JSON it prints holds analysis, selections and the plan."""

from __future__ import annotations

import io
import json
from pathlib import Path

from orchestra.cli import invoke
from orchestra.cli.errors import EXIT_INVALID, EXIT_OK

THIRD_PARTY = str(Path(__file__).resolve().parents[2] / "examples" / "tools" / "third_party.yaml")


async def _plan(*argv: str) -> tuple[int, str]:
    """`plan` needs no server: no client is given, and none is made."""
    out, err = io.StringIO(), io.StringIO()
    code = await invoke(["plan", *argv], out=out, err=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue()


async def test_plan_json_offline_with_preferences():
    task = "download these three URLs http://127.0.0.1:9/a http://127.0.0.1:9/b http://127.0.0.1:9/c, extract the titles and write them to titles.json"
    code, out = await _plan(task, "--json", "--max-parallel", "2", "--cost", "3")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["analysis"]["complexity"] in ("simple", "moderate", "complex", "very_complex")
    assert data["selections"][0]["weights"]["cost"] > 0.2
    plan = data["execution"]["plan"]
    assert plan["max_parallel"] == 2 and len(plan["nodes"]) == 7
    assert data["execution"]["phases"][0]["nodes"] == ["download_1", "download_2", "download_3"]


async def test_plan_text_with_registry_file_and_unserved_capability():
    code, out = await _plan("summarize notes.txt then translate it to French", "--registry", THIRD_PARTY)
    assert code == EXIT_OK and "summarize_text" in out and "translate_text" in out and "needs inputs" in out
    code, out = await _plan("teleport the cat")
    assert code == EXIT_INVALID and "creation required" in out
