"""Work the user says not to do ("do not translate it", "without translating it", "no need to read it
aloud") is no sub-goal; "do not forget to save it" asks to save it, and "not only ... but also" asks for
both. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, clauses_read, tools_chosen


async def test_work_said_not_to_be_done_is_never_planned() -> None:
    # before: each of these translated, read aloud or saved what it was told not to
    for task in (
        "Summarize notes.txt and do not translate it.",
        "Summarize notes.txt, but don't read it aloud.",
        "Please don't translate notes.txt. Summarize it.",
        "Summarize notes.txt without translating it.",
        "Instead of translating notes.txt, summarize it.",
        "Summarize notes.txt rather than translate it.",
        "Summarize notes.txt. No need to read it aloud.",
        "Summarize notes.txt, never translate it into French or Spanish.",
        "Summarize notes.txt; skip translating it.",
        "Summarize notes.txt. I don't want it translated.",
    ):
        assert tools_chosen(task) == ["read_file", "summarize_text"], task


async def test_a_sink_said_not_to_be_used_stores_nothing() -> None:
    result = await plan_task("Caption photo.jpg and read it aloud, then do not save them.", default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == ["caption_image", "read_aloud"]


async def test_a_negated_verb_of_leaving_undone_asks_for_the_work() -> None:
    result = await plan_task("Summarize notes.txt and do not forget to save it to out.txt.", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None
    assert [n.tool for n in plan.nodes] == ["read_file", "summarize_text", "write_file"]
    assert plan.nodes[-1].args["path"] == "out.txt"


def test_what_is_said_without_work_stays_as_it_is() -> None:
    # a thing described ("without a hat") and "not only ... but also" are no work left undone
    assert clauses_read("Generate a picture of a cat without a hat") == [
        ("Generate a picture of a cat without a hat", True)
    ]
    # both are asked (attack43: the first was read as telling, not asking, and planned nothing)
    assert clauses_read("Not only identify the objects but also caption the picture") == [
        ("identify the objects", True),
        ("caption the picture", True),
    ]
