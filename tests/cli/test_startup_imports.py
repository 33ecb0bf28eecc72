"""What a command imports before it can act (issue 11: start-up time). `--help` needs neither pydantic nor
Temporal's worker; `status`, `list`, `cancel` read runs, which imported the planner's models (the whole
task analysis) and the agent's (the LLM client, httpx) at load: most of a second of every such command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import TIMEOUT_S, clean_env

# The command line's modules once it has run, written to the file named first.
CHILD = """
import json, sys
from orchestra.cli.app import main
main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
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


def imported(args: tuple[str, ...], tmp_path: Path, env: dict[str, str]) -> list[str]:
    modules = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", CHILD, str(modules), *args], cwd=PROJECT_ROOT, env=env, timeout=TIMEOUT_S,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    loaded: list[str] = json.loads(modules.read_text())
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
    ],
)
def test_a_command_imports_only_what_it_needs(
    args: tuple[str, ...], unneeded: tuple[str, ...], tmp_path: Path, closed_address: str
) -> None:
    loaded = imported(args, tmp_path, clean_env(TEMPORAL_ADDRESS=closed_address))
    assert "orchestra.cli.app" in loaded
    assert [m for m in loaded if any(m == u or m.startswith(f"{u}.") for u in unneeded)] == []
