"""What a command imports before it can act (issue 11: start-up time). `--help` needs neither pydantic nor
Temporal's worker; `status`, `list`, `cancel` read runs, which imported the planner's models (the whole
task analysis) and the agent's (the LLM client, httpx) at load: most of a second of every such command.
An offline `plan` needs no Temporal, telemetry or HTTP client: checking the URLs it writes imported httpx
(and with it rich, pygments and httpx's own command line), 12-16% of the call's CPU time. Checking a plan's
sizes (`validate --plan`, `plan --out`) imported Temporal's converters (0.3-0.6 s of CPU), and listing the
built-in tools imported JMESPath, which only a json_query step's child process uses. Reading the
`${secrets.NAME}` a plan holds imported the whole output masker (its encodings and dump readers): 7% of a
`plan` call's CPU time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import TIMEOUT_S, clean_env

# The command line's exit code and modules once it has run, written to the file named first.
CHILD = """
import json, sys
from orchestra.cli.app import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""

HELP = ("temporalio.worker", "temporalio.client", "pydantic", "orchestra.planning", "orchestra.agent", "httpx")
READING_RUNS = (
    "orchestra.planning",
    "orchestra.analysis",
    "orchestra.agent",
    "orchestra.llm",
    "orchestra.validation",
    "httpx",
)
TASK = "download http://127.0.0.1:8000/a https://a.example/report?year=2024, extract the titles and write them to titles.json"
PLANNING_OFFLINE = (
    "temporalio",
    "opentelemetry",
    "structlog",
    "orchestra.telemetry.tracing",
    "orchestra.agent",
    "orchestra.llm",
    "orchestra.mcp",
    "httpx",
    "pygments",
    "jmespath",
)
# A plan printed, no line logged: nothing to mask, and the masker's forms (their patterns, the dump readers) are
# a worker's. `plan --out` and `validate` log a line, masked as every line the CLI logs.
PRINTING_ONLY = (*PLANNING_OFFLINE, "orchestra.telemetry", "orchestra.secrets")
EXAMPLE = "examples/site_report.yaml"
OUT = "{out}"  # a file of the test's own


def imported(args: tuple[str, ...], tmp_path: Path, env: dict[str, str]) -> list[str]:
    written = tmp_path / "modules.json"
    args = tuple(str(tmp_path / "plan.yaml") if a == OUT else a for a in args)
    subprocess.run(
        [sys.executable, "-c", CHILD, str(written), *args], cwd=PROJECT_ROOT, env=env, timeout=TIMEOUT_S,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    ran = json.loads(written.read_text())
    if args[0] in ("plan", "validate"):  # the plan was made or checked: a failure imports less
        assert ran["code"] == 0
    loaded: list[str] = ran["modules"]
    return loaded


@pytest.mark.parametrize(
    ("args", "unneeded"),
    [
        (("--help",), HELP),
        (("status", "--help"), HELP),
        (("cancel", "--help"), HELP),
        (("status", "some-id"), READING_RUNS),
        (("list",), READING_RUNS),
        (("cancel", "some-id"), READING_RUNS),
        (("approve", "some-id"), READING_RUNS),
        (("plan", TASK), PRINTING_ONLY),
        (("plan", "--json", TASK), (*PRINTING_ONLY, "rich")),  # rich draws the text only
        (("plan", "--out", OUT, TASK), PLANNING_OFFLINE),
        (("validate", "--plan", EXAMPLE), PLANNING_OFFLINE),
        (("validate", "--json", "--plan", EXAMPLE), PLANNING_OFFLINE),
    ],
)
def test_a_command_imports_only_what_it_needs(
    args: tuple[str, ...], unneeded: tuple[str, ...], tmp_path: Path, closed_address: str
) -> None:
    loaded = imported(args, tmp_path, clean_env(TEMPORAL_ADDRESS=closed_address))
    assert "orchestra.cli.app" in loaded
    assert [m for m in loaded if any(m == u or m.startswith(f"{u}.") for u in unneeded)] == []
