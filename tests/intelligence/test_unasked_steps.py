"""Steps nobody asked for, and requests of thousands of clauses.

Pass 15 (docs/planning-passes.md): a wish whose tool works on a kind of data only a later step makes is
what that step is for, not a step before it; linking each step no longer asks the whole list of
steps before it (bench/hostile_requests prints the time).
"""

from __future__ import annotations

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


def test_a_wish_for_what_a_later_step_makes_is_its_purpose() -> None:
    # Nothing the user gave is a recording, and no step before the wish makes one: the speech the
    # request asks for next is what the listening is about.
    task = (
        "I'd love to hear how my greeting sounds once it is spoken. Please turn this text into speech: 'Good evening'"
    )
    assert tools_chosen(task) == ["read_aloud"]
    task = "I would like to listen to it in a calm voice. Could you read this paragraph aloud: 'The shop opens at nine'"
    assert tools_chosen(task) == ["read_aloud"]


def test_a_wish_for_work_on_data_a_later_request_names_is_that_requests_purpose() -> None:
    # The photo is named only by the request after the wish: the wish says what the detection is for,
    # and the objects are not detected twice.
    task = "I want to spot every object in a photo of my desk. Please detect the objects in desk.jpg."
    assert tools_chosen(task) == ["detect_objects"]
    # Data named in a sentence that only tells is the wish's to work on.
    assert tools_chosen("I'd like to find the objects in a photo. The photo is desk.jpg.") == ["detect_objects"]


def test_a_wish_with_what_it_works_on_is_still_a_step() -> None:
    # The user's own recording: the wish has data to work on.
    task = "I'd like to transcribe the recording memo.wav. Then read this text aloud: 'Welcome aboard'"
    assert tools_chosen(task) == ["transcribe_audio", "read_aloud"]


def test_an_imperative_on_data_not_given_is_still_a_step() -> None:
    # Asked in so many words, with nothing to work on: its input is left to the user.
    task = "Transcribe the recording, then read this text aloud: 'Welcome aboard'"
    assert tools_chosen(task) == ["transcribe_audio", "read_aloud"]


def test_many_alike_clauses_each_take_their_own_data_under_their_own_name() -> None:
    # The same clause asked hundreds of times: each step takes its own file, ids stay unique and in
    # order (the numbering of one name no longer tries every name before it).
    count = 300
    task = ", ".join(f"caption shot{n}.jpg" for n in range(count))
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    assert [s.candidates[0] for s in steps] == ["caption_image"] * count
    assert [s.id for s in steps] == ["caption", *(f"caption_{n}" for n in range(2, count + 1))]
    assert [[d.value for d in s.data] for s in steps] == [[f"shot{n}.jpg"] for n in range(count)]
