"""A place said in a spelling the reader did not take as a path (attack147): "List the files in ../docs", "in ..",
"in ~/docs" listed the workspace itself, unsaid (the folder was read as words, and list_files' default "." ran);
"Write 'hi' to every .txt file" made a file named ".txt". Each is asked for now, saying why; an ellipsis and a
folder inside the workspace are as before."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "why"),
    [
        ("List the files in ..", "outside the workspace"),
        ("List the files in ../", "outside the workspace"),
        ("List the files in ./../", "outside the workspace"),
        ("List the files in ../..", "outside the workspace"),
        ("List the files in ../docs.", "outside the workspace"),
        ("List the files in ~/docs", "would not read as written"),
    ],
)
async def test_a_folder_outside_is_asked(task: str, why: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert calls == [("list_files", {"path": "${inputs.list_files_path}"})], calls
    assert missing == ["list_files_path"] and any(why in n for n in notes), notes


@pytest.mark.parametrize("task", ["Write 'hi' to every .txt file", "Write 'hi' to .md"])
async def test_a_kind_of_file_is_no_file(task: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert calls == [("write_file", {"content": "hi", "path": "${inputs.write_file_path}"})], calls
    assert missing == ["write_file_path"] and any("kind of file" in n for n in notes), notes


@pytest.mark.parametrize(
    ("task", "calls_made"),
    [
        ("List the files in docs/", [("list_files", {"path": "docs/"})]),
        # a hidden file holding no secret (.env summarized online is sent: test_a_secret_given_to_a_tool_online_is_asked)
        (
            "Summarize .bashrc",
            [("read_file", {"path": ".bashrc"}), ("summarize_text", {"text": "${read.output.content}"})],
        ),
        ("Write 'hi' to a.txt...", [("write_file", {"path": "a.txt", "content": "hi"})]),
    ],
)
async def test_places_inside_are_as_said(task: str, calls_made: list[tuple[str, dict[str, object]]]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == calls_made and not missing
