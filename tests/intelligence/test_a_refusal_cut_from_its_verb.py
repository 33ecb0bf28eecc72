"""A negation cut from the verb it refuses by a comma ("do not, under any circumstances, delete it") refuses that
verb, and "nothing else should be deleted" deletes nothing: attack129 found the first deleting notes.txt (the verb
after the bare "do not" read as the work asked in its place), "... run 'rm -rf x'" running it, and the second
planning a delete of a path asked for, with the built-ins as `client.py plan` has them."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

SUMMARY = [
    ("read_file", {"path": "notes.txt"}),
    ("summarize_text", {"text": "${read.output.content}"}),
]


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt and do not, under any circumstances, delete it.",  # 'delete it' a missing step
        "Summarize notes.txt. Don't, please, delete notes.txt",  # deleted notes.txt
        "Summarize notes.txt but never, ever, delete notes.txt",  # deleted notes.txt
        "Summarize notes.txt and do not, under any circumstances, run 'rm -rf x'",  # ran rm -rf x
        "Summarize notes.txt. Nothing else should be deleted.",  # a delete_file asking its path
        "Summarize notes.txt. Nothing more may be removed.",
    ],
)
async def test_work_refused_apart_from_its_verb_is_not_done(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert (calls, missing) == (SUMMARY, []), calls


@pytest.mark.parametrize(
    ("task", "calls_made"),
    [
        ("Nothing else should be deleted; delete notes.txt", [("delete_file", {"path": "notes.txt"})]),
        ("Delete nothing else than a.txt", [("delete_file", {"path": "a.txt"})]),
        ("Don't translate notes.txt, summarize it", SUMMARY),  # the work asked in place of the refused
        (
            "Summarize notes.txt, and never, ever, delete it, then translate it",
            [*SUMMARY, ("translate_text", {"text": "${summarize.output.text}"})],
        ),
    ],
)
async def test_work_asked_beside_a_refusal_is_done(task: str, calls_made: list[object]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert (calls, missing) == (calls_made, []), calls
