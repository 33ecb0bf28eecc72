"""A tool is chosen for what a sub-goal asks, not for a stray word of it (pass 22 of the offline planner):
a number says how many, a clause that only presents data asks for nothing, and the same work on other
data is a step of its own. Checked against the media catalogue written for the tests."""

from __future__ import annotations

import json

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


def test_a_number_is_no_reason_for_a_tool():
    # "two" is in the similarity tool's description ("how similar two sentences are"): before, "Book a
    # table for two" was planned as a similarity score
    assert tools_chosen("Book a table for two.") == ["-"]
    assert tools_chosen("Reserve three seats at the opera.") == ["-"]
    # a number beside the work still leaves the work to its tool
    assert tools_chosen("How similar are these two sentences: 'I like tea' and 'I love tea'?") == [
        "sentence_similarity"
    ]


async def test_what_no_tool_does_is_reported_missing_and_the_rest_planned():
    result = await plan_task(
        "Book a table for two, then translate 'see you at eight' into French.", default_registry([MEDIA])
    )
    execution = json.loads(result.model_dump_json())["execution"]
    assert [n["tool"] for n in execution["plan"]["nodes"]] == ["translate_text"]
    assert any("Book a table for two" in m for m in execution["missing"])


def test_a_clause_that_only_presents_data_is_no_step():
    # before: "the text 'X'" was a step of its own, served by whichever tool says "text" most (a translator)
    for lead in ("Based on the text", "Given the text", "With the text"):
        task = f"{lead} 'The shop opens at nine on Sundays.', answer 'When does the shop open on Sundays?'"
        assert tools_chosen(task) == ["answer_question"], task
    assert tools_chosen("Given the photo 'desk.jpg', detect the objects in it.") == ["detect_objects"]
    # a clause that asks for work on its data is still a step
    assert tools_chosen("Summarize the text 'The shop opens at nine on Sundays and closes at noon.'") == [
        "summarize_text"
    ]


def test_the_same_work_on_other_data_is_a_step_of_its_own():
    # before: the second clause said nothing the first had not, so it was folded into the first step
    assert tools_chosen("Detect the objects in my photo, and then detect the objects in my other photo.") == [
        "detect_objects",
        "detect_objects",
    ]
    assert tools_chosen("Transcribe my recording, then transcribe another recording.") == [
        "transcribe_audio",
        "transcribe_audio",
    ]
    # more of the same work on the same data is still one step
    assert tools_chosen("Detect the objects in my photo and then label the objects.") == ["detect_objects"]
