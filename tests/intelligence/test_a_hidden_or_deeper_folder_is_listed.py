"""A folder said after "in" as a hidden name or a path ("List the files in .ssh", "in ./docs", "in docs/api/") is
the one listed: only a bare word was read as a folder, and these listed the workspace, ".", in their place. A
listing saying no folder, or words that are none ("in order", "in detail"), still lists "."."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "folder"),
    [
        ("List the files in .ssh", ".ssh"),
        ("List the files in .ssh/", ".ssh"),
        ("list the files in ./docs", "./docs"),
        ("List the files in docs/api.", "docs/api"),
        ("List the files in .config/app", ".config/app"),
        ("List the files in the .ssh folder", ".ssh"),
        ("List all files in .github/workflows", ".github/workflows"),
        ("list the files inside .cache", ".cache"),
        ("List the files under .local/share", ".local/share"),
        ("list the files in .venv, then save the listing to files.txt", ".venv"),
        ("List the files in my .aws directory", ".aws"),
    ],
)
async def test_a_hidden_or_deeper_folder_is_listed(task: str, folder: str) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert calls[0] == ("list_files", {"path": folder}), calls


@pytest.mark.parametrize(
    ("task", "folder"),
    [
        ("list the files in docs, then save the listing to files.txt", "docs"),
        ("list the files in the docs folder", "docs"),
        ("list the files in the current directory", "."),
        ("list the files in order", "."),
        ("list the files in detail.", "."),
        ("list the files", "."),
        ("List the files in it", "."),
        ("list the files in bulk", "."),
        ("List the files in full.", "."),
        ("List the files in this folder", "."),
        ("list the files in the workspace", "."),
    ],
)
async def test_a_listing_of_no_such_folder_keeps_its_place(task: str, folder: str) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert calls[0] == ("list_files", {"path": folder}), calls
