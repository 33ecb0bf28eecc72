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


def test_an_offline_plan_starts_without_temporal_numpy_httpx_or_the_llm_client():
    """What a fresh `client.py plan` process imports: start-up is most of its time."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    probe = (
        "import sys\nfrom orchestra.cli import main\nmain(['plan', 'read notes.txt', '--json'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'temporalio', 'numpy', 'httpx', 'openai'}),"
        " 'orchestra.llm.client' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=60)
    assert '"read_file"' in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[] False"


def test_the_state_icons_cover_every_state():
    from orchestra.record import AgentState, StepState
    from orchestra.text import RUN_ICON, STEP_ICON

    assert set(STEP_ICON) == {s.value for s in StepState} and set(RUN_ICON) == {s.value for s in AgentState}
