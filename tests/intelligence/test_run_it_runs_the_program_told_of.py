"""plan334: "run it" after a sentence telling of a program ("The script deletes b.txt; run it", "This script cleans
the cache. Run it.", "setup.sh installs things - execute it") planned nothing, or a delete for "deletes": "it" was
read with the words of what the program does. "It" is the program; what it does is context. The script is run as
"Run the script" / "Run setup.sh" is (its command asked for), never its words done by other tools."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "The script deletes b.txt; run it",
        "The script deletes b.txt. Run it.",
        "This script cleans the cache. Run it.",
        "This script cleans the cache. Please run it.",
        "The program removes old.txt. Execute it",
        "My build script deletes b.txt; run it now",
        "setup.sh installs things - execute it",
        "setup.sh installs things. Run it.",
        "build.sh deletes b.txt. Run it",
        "The script setup.sh removes b.txt; execute it",
        "Execute setup.sh",
        "Run setup.sh",
    ],
)
async def test_the_program_is_run_and_its_command_asked(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task)
    assert [tool for tool, _ in calls] == ["shell"] and missing == ["shell_cmd"], (calls, missing)


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Run 'make test'", ["shell"]),
        ("Execute 'ls -la'", ["shell"]),
        ("Delete b.txt", ["delete_file"]),
        ("The script is old. Delete b.txt", ["delete_file"]),
        ("The script deletes b.txt. Delete c.txt", ["delete_file"]),
        ("a.txt needs a summary. Delete b.txt", ["delete_file"]),
        ("Read a.txt and delete it", ["read_file", "delete_file"]),
        ("List the files in logs/ - sort them by size", ["list_files"]),
        ("Fetch https://example.com/a - it is slow", ["http_request"]),
    ],
)
async def test_other_work_stays(task: str, tools: list[str]) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert [tool for tool, _ in calls] == tools, calls
