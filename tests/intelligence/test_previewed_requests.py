"""Which sub-goals a request has (pass 17 of the offline planner): a request previewed, then detailed,
plans each step once; "the answer" after a clause that asks for one is that clause's; a wish for work
done ("I'd like it translated") asks for that work. Each checked against the media catalogue written
for the tests."""

from __future__ import annotations

from tests.intelligence.reading import clauses_without_data, tools_chosen


def test_a_goal_said_up_front_then_detailed_with_first_is_planned_once():
    task = (
        "I have a recording, talk.wav. Wouldn't it be nice to have a picture of what is said in it? Could you "
        "first transcribe it, then summarize the transcript, and finally generate a picture from that summary?"
    )
    # before: the preview got a transcription and a picture of its own, ahead of the detail's
    assert tools_chosen(task) == ["transcribe_audio", "summarize_text", "text_to_image"]


def test_a_wish_said_up_front_then_detailed_is_planned_once():
    task = (
        "I want to give my holiday pictures a painted look. Could you change photo.jpg so that it looks painted, "
        "and then describe the result?"
    )
    assert tools_chosen(task) == ["edit_image", "caption_image"]


def test_a_goal_with_data_of_its_own_is_no_preview():
    task = "Describe photo.jpg. Could you first transcribe talk.wav, then summarize the transcript and describe holiday.jpg?"
    assert tools_chosen(task) == ["caption_image", "transcribe_audio", "summarize_text", "caption_image"]


def test_the_answer_after_a_request_to_answer_is_that_answer():
    task = (
        "I'm curious about the sentiment of 'The service was slow but the food was great'. Can you answer the "
        "question 'Is the reviewer happy?' and then translate the answer into French?"
    )
    # before: what the user is curious about was asked as a question of its own, first
    assert tools_chosen(task) == ["answer_question", "translate_text"]


def test_a_wish_for_work_done_asks_for_that_work():
    task = "I have a long report, 'The meeting moved to Friday because the room was taken'. I'd like it translated into German."
    # before: no step at all ("no action found")
    assert tools_chosen(task) == ["translate_text"]
    assert clauses_without_data(
        "Here is a recording, talk.wav. We need the recording cleaned. Then transcribe it."
    ) == [
        ("Here is a recording @p0", False),
        ("clean the recording", True),
        ("transcribe it", True),
    ]


def test_a_piece_that_only_says_the_work_before_is_done_is_no_step():
    task = "Could my assistant help me to describe photo.jpg? After figuring out this, could you read the description aloud?"
    # before: "After figuring out this" was a step no tool serves, so the plan could not run
    assert tools_chosen(task) == ["caption_image", "read_aloud"]
    # a piece that names the work it waits for stays
    assert clauses_without_data("Describe photo.jpg. After translating it, read it aloud.")[1] == (
        "After translating it",
        True,
    )


def test_a_wish_for_the_answer_in_a_language_asks_the_question_told_before_then_translates():
    task = (
        "I wrote a review, 'The service was slow but the food was great'. I wonder 'Was the reviewer happy?'. "
        "I need the answer in German though."
    )
    # before: no step at all ("no action found")
    assert tools_chosen(task) == ["answer_question", "translate_text"]
