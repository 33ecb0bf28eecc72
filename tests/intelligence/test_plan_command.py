"""The `plan` command module, offline: the JSON it prints holds analysis, selections and the plan."""

from __future__ import annotations

import ast
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


# What `plan --json` has no use for: Temporal's SDK, the encoder, HTTP, the LLM client, rich (tables),
# PyYAML (no YAML is read), the run record and its limits, and the rules that confine running tools.
NOT_IMPORTED = ("temporalio", "numpy", "httpx", "openai", "rich", "yaml", "orchestra.llm.client", "orchestra.record",
                "orchestra.limits", "orchestra.confinement", "orchestra.network", "orchestra.workspace")  # fmt: skip


def _imported_by_plan(*argv: str, env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """The output of `plan ARGV` in a fresh process, and which of NOT_IMPORTED it imported."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    probe = (
        f"import sys\nfrom orchestra.cli import main\nmain({list(argv)!r})\n"
        f"print(sorted(m for m in {NOT_IMPORTED!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})  # fmt: skip
    return done.stdout, ast.literal_eval(done.stderr.strip().splitlines()[-1])


def test_an_offline_plan_starts_without_what_it_does_not_use():
    """What a fresh `client.py plan` process imports: start-up is most of its time."""
    out, imported = _imported_by_plan("plan", "read notes.txt", "--json")
    assert '"read_file"' in out and imported == []


def test_a_plan_with_a_cached_tools_file_starts_without_what_it_does_not_use(tmp_path: Path):
    tools = tmp_path / "tools.json"
    tools.write_text(json.dumps({"tools": [{"name": "convert_records", "kind": "http", "description": "Convert records",
                                            "url": "https://api.example.com/{{ q }}", "inputs": {"q": {}}}]}))  # fmt: skip
    env = {"ORCHESTRA_DATA_DIR": str(tmp_path / "data")}
    argv = ("plan", "convert the records", "--registry", str(tools), "--json")
    first, _ = _imported_by_plan(*argv, env=env)
    again, imported = _imported_by_plan(*argv, env=env)
    assert '"convert_records"' in first and again == first and imported == []


def test_the_state_icons_cover_every_state():
    from orchestra.record import AgentState, StepState
    from orchestra.text import RUN_ICON, STEP_ICON

    assert set(STEP_ICON) == {s.value for s in StepState} and set(RUN_ICON) == {s.value for s in AgentState}
