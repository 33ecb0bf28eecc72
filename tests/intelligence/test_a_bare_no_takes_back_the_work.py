"""attack168: "Delete notes.txt. Actually, don't." deleted notes.txt: a negation with no work of its own ("Actually,
don't", "Wait, don't", "Don't.", "No.", "..., actually don't", "Actually, don't delete it") took nothing back, and
"Wait, don't." and "Cancel that." planned a pause in the delete's place, as if asked. Each takes back the work said
before it, asked as "Never mind." is; a refusal of other work ("Don't translate it") takes back nothing. So does a
keep said after a comma that points at no file ("Delete notes.txt and a.txt, but keep one": both were deleted)."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt. Actually, don't.",
        "Delete notes.txt. Wait, don't.",
        "Delete notes.txt. Don't.",
        "Delete notes.txt. No.",
        "Delete notes.txt, actually don't",
        "Delete notes.txt, wait, don't",
        "Delete notes.txt. Actually, don't delete it.",
        "Delete notes.txt. Cancel that.",
    ],
)
async def test_a_bare_no_takes_back_the_delete(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert calls == [("delete_file", {"path": "${inputs.delete_file_path}"})], calls
    assert missing == ["delete_file_path"] and any("taken back" in s for s in said), said


@pytest.mark.parametrize(
    ("task", "call"),
    [
        ("Summarize a.txt. Don't translate it.", ("read_file", {"path": "a.txt"})),
        ("Delete notes.txt. Don't worry about a.txt.", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt. No, delete a.txt instead", ("delete_file", {"path": "a.txt"})),
    ],
)
async def test_a_refusal_of_other_work_takes_nothing_back(task: str, call: object) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert call in calls and not missing, calls


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt and a.txt, but keep one",  # both were deleted
        "Delete notes.txt and a.txt but leave the other one",
        "Delete notes.txt but keep it",
    ],
)
async def test_a_keep_pointing_at_no_file_after_a_comma_takes_back_the_delete(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert all(args == {"path": "${inputs.delete_file_path}"} for tool, args in calls if tool == "delete_file"), calls
    assert missing == ["delete_file_path"] and any("taken back" in s for s in said), said
