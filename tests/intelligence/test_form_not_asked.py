"""Which tool serves a sub-goal when a tool's name says more than the request (pass 42 of the offline
planner): a tool whose name says the form of what it makes ("read_aloud") does not serve a clause that
asks for no form when another tool takes the clause's file and holds as much of its words ("read
notes.txt" reads the file); and a sound described by what it is to be, with a determiner ("a song about
the sea"), is no text to read aloud, as one without ("a song about rain") was not. Requests written for
these tests, with the media catalogue (a sound tool added where one should make the sound)."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


def test_reading_a_file_reads_it_and_speaks_only_when_asked() -> None:
    # before: read_file, then read_aloud of its content ("read" is a word of both names)
    assert tools_chosen("read notes.txt") == ["read_file"]
    assert tools_chosen("Read the report in notes.txt.") == ["read_file"]
    # asked for speech, or nothing to read but a text: spoken, as before
    assert tools_chosen("read notes.txt aloud") == ["read_file", "read_aloud"]
    assert tools_chosen("Summarize notes.txt and read it") == ["read_file", "summarize_text", "read_aloud"]
    assert tools_chosen("Read 'hello there' aloud.") == ["read_aloud"]


async def test_a_sound_described_after_a_determiner_is_missing_not_read_aloud() -> None:
    # before: the picture was captioned and the caption read aloud (the sea, "known" by its "the")
    result = await plan_task("Generate a picture of a cat. Generate a song about the sea.", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and [(n.tool, n.args["text"]) for n in plan.nodes] == [("text_to_image", "a cat")]
    (missing,) = result.execution.missing
    assert "song about the sea" in missing
    assert tools_chosen("Generate a picture of a cat and a song about the sea.") == ["text_to_image", "-"]
    # something known is still said: the summary made before, the output
    assert tools_chosen("Summarize notes.txt. Then generate an audio of the summary.")[-1] == "read_aloud"
