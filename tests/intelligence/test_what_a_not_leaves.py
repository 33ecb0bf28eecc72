"""A "not" that asks for the work after all ("not only ... but also", "don't just", "do not skip
translating it"), work refused behind a request ("make sure not to translate it") or named before it is
refused ("translating it is not needed", "skip the translation"), and work asked in place of refused work
("do not translate it, just a summary of it"); data named only in refused work reaches no step. Requests written for these tests, with the media and finance catalogues."""

from __future__ import annotations

from pathlib import Path

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

FINANCE = Path(__file__).with_name("finance_tools.yaml")

SUMMARY = ["read_file", "summarize_text"]


def test_a_not_that_asks_for_the_work_keeps_it() -> None:
    # before: the summary was lost in the first two (and in "not only identify ..."), the translation in the others
    for task in (
        "Not only summarize notes.txt but also translate it.",
        "Don't just summarize notes.txt, translate it too.",
        "Summarize notes.txt; do not skip translating it.",
        "Summarize notes.txt, and make sure not to skip translating it.",
        "Summarize notes.txt, not just translate it.",
    ):
        assert tools_chosen(task) == [*SUMMARY, "translate_text"], task
    assert "caption_image" in tools_chosen("Summarize notes.txt; not merely caption photo.jpg but also detect objects.")


def test_work_refused_behind_a_request_or_after_its_name_is_not_planned() -> None:
    # before: each translated; "be sure not to translate it" lost the summary as well
    for task in (
        "Summarize notes.txt and make sure not to translate it.",
        "Summarize notes.txt and be sure not to translate it.",
        "Summarize notes.txt, and please make sure you don't translate it.",
        "Summarize notes.txt. Translating it is not needed.",
        "Summarize notes.txt; a translation isn't necessary.",
        "Summarize notes.txt, skip the translation.",
    ):
        assert tools_chosen(task) == SUMMARY, task


def test_work_asked_in_place_of_refused_work_is_planned() -> None:
    # before: "no action found in the task"
    assert tools_chosen("Do not translate notes.txt, just a summary of it please.") == SUMMARY


def test_nothing_but_names_the_only_work() -> None:
    # before: "Give me nothing" was a sub-goal of its own, reported missing
    assert tools_chosen("Give me nothing but a summary of notes.txt.") == SUMMARY


def test_a_noun_in_ing_after_and_is_part_of_the_work_before() -> None:
    # before: "the setting of it" was work of its own, given to the image editor
    assert tools_chosen("Describe photo.jpg and the setting of it.") == ["caption_image"]
    assert tools_chosen("Caption photo.jpg and the building of it.") == ["caption_image"]


async def test_data_named_only_in_refused_work_reaches_no_step() -> None:
    # before: the e-mail's body was 'hunter2', the very text the user said not to send
    for task in (
        "Email the chart to bob@example.com, but never send 'hunter2'.",
        "Email the chart to bob@example.com, and make sure not to include the password 'hunter2'.",
        "Email the chart to bob@example.com without sending 'hunter2'.",
        "Never email 'hunter2'. Email the chart to bob@example.com.",
    ):
        plan = (await plan_task(task, default_registry([FINANCE]))).execution.plan
        assert plan is not None
        assert [n.tool for n in plan.nodes] == ["email_report"], task
        assert "hunter2" not in str([n.args for n in plan.nodes]), task
    # what the clause after the refusal calls "it" is the refused work's data: it is still worked on
    plan = (await plan_task("Do not translate 'hello', read it aloud.", default_registry([MEDIA]))).execution.plan
    assert plan is not None and [(n.tool, n.args) for n in plan.nodes] == [("read_aloud", {"text": "hello"})]
