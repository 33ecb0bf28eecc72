"""Which sub-goals a request has: politeness adds no work (pass 18, docs/planning-passes.md).

"Translate 'Hola' into English. Could you figure it out?" asks the assistant to do the work just
asked for. It used to become a step no tool serves, so the plan listed a missing step and could not
run. An appeal whose words only say "do it" is no sub-goal when the request asks for other work;
alone it is still reported missing, and a thing asked for with a generic verb still is too.
"Would you be able to generate a picture" asks for a picture: the lead-in ends where the work starts;
"and then we can translate it" proposes work, as "let's" does.
"""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.clauses import strip_lead_in
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


@pytest.mark.parametrize(
    "appeal",
    [
        "Could you figure it out?",
        "Can you work this out for me, please?",
        "Could you take care of it?",
        "Can you make that happen?",
        "Please handle it for me.",
        "Can you help me with this task?",
        "Would you sort it out?",
        "Can you get it done?",
        "Do your best!",
        "Can you pull it off?",
        "Could you work your magic?",
    ],
)
def test_a_closing_appeal_after_a_request_is_no_step(appeal: str):
    assert tools_chosen(f"Translate 'Hola' into English. {appeal}") == ["translate_text"]
    assert tools_chosen(f"Summarize the report in notes.txt. {appeal}") == ["read_file", "summarize_text"]


def test_an_appeal_before_the_request_is_no_step_either():
    assert tools_chosen("Can you tackle this? Describe the photo beach.jpg.") == ["caption_image"]


async def test_a_request_with_an_appeal_plans_with_nothing_missing():
    result = await plan_task("Describe the photo beach.jpg. Could you figure it out?", default_registry([MEDIA]))
    assert result.execution.missing == []
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == ["caption_image"]


def test_an_appeal_alone_is_still_reported_missing():
    # nothing else is asked: the user learns that no tool does "figure it out", not an empty plan
    assert tools_chosen("Could you figure it out?") == ["-"]


def test_an_appeal_that_names_something_is_work():
    # "sort the words", "get me a pizza": an object other than "it" or "this task" says what
    assert tools_chosen("Translate 'Hola' into English. Then get me a pizza.") == ["translate_text", "-"]
    # "sort it out" is an appeal, "sort them" is work no tool here does: reported missing
    assert tools_chosen("Translate 'Hola' into English. Then sort them.") == ["translate_text", "-"]
    assert tools_chosen("Describe the photo beach.jpg, then handle the audio in talk.wav.")[0] == "caption_image"
    assert len(tools_chosen("Describe the photo beach.jpg, then handle the audio in talk.wav.")) == 2


def test_an_appeal_after_what_the_user_wants_to_know_asks_that():
    # the context says what "it" is: borrowed, as a vague request did before
    task = "I have the sentence 'What a lovely day'. I'm curious whether it is positive. Can you take care of it?"
    assert tools_chosen(task) == ["classify_sentiment"]


def test_being_able_or_willing_is_a_lead_in():
    assert strip_lead_in("Would you be able to generate a new image") == ("generate a new image", True)
    assert strip_lead_in("are you able to translate it") == ("translate it", True)
    assert strip_lead_in("Would you be so kind as to caption it") == ("caption it", True)
    assert strip_lead_in("Would you be willing to help me summarize it") == ("summarize it", True)


def test_work_asked_after_being_able_is_work():
    # "generate" opens the work: what it makes is a picture, not a caption of one
    task = "Summarize notes.txt. Would you be able to generate a picture from the summary?"
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    assert [(s.candidates[0], s.produces) for s in steps][-1] == ("text_to_image", ["image"])
    # a question to the assistant about its ability asks for the work, it does not tell
    assert tools_chosen("Describe photo.jpg. Are you able to turn the description into speech?") == [
        "caption_image",
        "read_aloud",
    ]


def test_a_proposal_of_work_is_asked_for():
    # "and then we can translate it" proposes the work, as "let's translate it" does
    task = "Describe photo.jpg, and then we can translate the description into French."
    assert tools_chosen(task) == ["caption_image", "translate_text"]
    # "we can relax" proposes no work: still context
    assert tools_chosen("Thereby we can relax. Summarize notes.txt.") == ["read_file", "summarize_text"]
