"""plan211: "list the files in docs, then save the listing to files.txt" listed "." and saved the workspace's listing
as docs'. A folder said by a bare name after "in" is the one listed; none said, or the current one, is "."."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "folder"),
    [
        ("list the files in docs, then save the listing to files.txt", "docs"),
        ("list the files in src and write them to files.txt", "src"),
        ("list the files in the docs folder", "docs"),
        ("list the files in the current directory", "."),
        ("list the files in order", "."),
        ("list the files", "."),
    ],
)
async def test_a_folder_said_by_its_bare_name_is_listed(task: str, folder: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    assert calls[0] == ("list_files", {"path": folder}), calls
    assert not asked, asked
