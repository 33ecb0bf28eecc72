"""Two verbs before one file, the second deleting or writing it over, do the second to the file named, after the
first; a file copied is what is read, never where the copy goes; a verb writing over or deleting a file opens a
clause of its own. attack129 found "Read and delete notes.txt" and "Summarize and delete notes.txt" deleting nothing
("delete it" read as deleting the summary), "Summarize and remove notes.txt" denoising an audio asked for, "Copy
notes.txt" writing notes.txt over with a content asked (and "Copy and delete notes.txt" deleting it after), and
"Translate notes.txt and overwrite notes.txt" translating only, the overwrite dropped unsaid."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said

READ = ("read_file", {"path": "notes.txt"})
DELETE = ("delete_file", {"path": "notes.txt"})
SUMMARY = ("summarize_text", {"text": "${read.output.content}"})


@pytest.mark.parametrize(
    ("task", "made"),
    [
        ("Read and delete notes.txt", [READ, DELETE]),
        ("Summarize and delete notes.txt", [READ, SUMMARY, DELETE]),
        ("Summarize and remove notes.txt", [READ, SUMMARY, DELETE]),
    ],
)
async def test_the_file_named_is_deleted_after_the_first_work(task: str, made: list[object]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert (sorted(calls, key=str), missing) == (sorted(made, key=str), []), calls


@pytest.mark.parametrize("task", ["Copy notes.txt", "Copy and delete notes.txt", "Copy the file notes.txt"])
async def test_a_file_copied_is_never_written(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    writes = [args for tool, args in calls if tool == "write_file"]
    assert all(w.get("path") != "notes.txt" for w in writes), calls
    assert writes == [] or (writes[0]["content"], missing) == ("${read.output.content}", ["write_file_path"]), calls


@pytest.mark.parametrize("verb", ["overwrite", "discard", "trash", "wipe"])
async def test_a_verb_losing_a_file_is_no_part_of_the_work_before(verb: str) -> None:
    result = await plan_task(f"Translate notes.txt and {verb} notes.txt", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    calls = [(n.tool, n.args) for n in result.execution.plan.nodes]
    done = [tool for tool, args in calls if args.get("path") == "notes.txt" and tool != "read_file"]
    assert done or [m for m in result.execution.missing if verb in m], calls  # done or said: never dropped unsaid


@pytest.mark.parametrize(
    ("task", "made"),
    [
        (  # translated a text asked for, no summary, and deleted notes.txt beside it
            "Summarize, translate and delete notes.txt",
            [READ, SUMMARY, ("translate_text", {"text": "${summarize.output.text}"}), DELETE],
        ),
        (
            "Transcribe, translate and summarize talk.wav",
            [
                ("transcribe_audio", {"audio": "talk.wav"}),
                ("translate_text", {"text": "${transcribe.output.text}"}),
                ("summarize_text", {"text": "${translate.output.text}"}),
            ],
        ),
    ],
)
async def test_a_list_of_verbs_before_one_object_is_each_done(task: str, made: list[object]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert (sorted(calls, key=str), missing) == (sorted(made, key=str), []), calls
