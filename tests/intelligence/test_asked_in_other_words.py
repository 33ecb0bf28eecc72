"""Which sub-goals a request has (pass 14 of the offline planner): work asked for in other words than
an imperative of its own — a request to be told a property, the means of a purpose that names what
it works on, a wish for the result of work — checked against the media catalogue written for the
tests and a small studio catalogue described here."""

from __future__ import annotations

from pathlib import Path

from tests.intelligence.reading import clauses_without_data, tools_chosen

# An editor whose description speaks of colours and a tool that answers questions about a picture:
# "tell me the colour of the sofa" is the second's, though the first shares more of its words.
STUDIO = """
tools:
  - {name: recolour_image, kind: http, description: "Edit an image as told, such as changing the colour of an object or the background.", input_types: [image, text], output_types: [image], method: POST, url: "https://s.example.com/edit", json: {image: "{{ image }}", instruction: "{{ instruction }}"}, inputs: {image: {type: string}, instruction: {type: string}}}
  - {name: ask_picture, kind: http, description: Answer a question about what a picture shows., input_types: [image, text], output_types: [text], method: POST, url: "https://s.example.com/vqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
  - {name: summarize_text, kind: http, description: Produce a shorter version of a document that keeps its key points., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: translate_text, kind: http, description: Translate text from one language to another., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/tr", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_a_request_to_be_told_a_property_is_a_question(tmp_path: Path) -> None:
    studio = tmp_path / "studio.yaml"
    studio.write_text(STUDIO)
    assert tools_chosen(
        "I have a photo of my living room, room.jpg. Tell me the colour of the sofa in it.", studio
    ) == ["ask_picture"]
    assert tools_chosen("Here is room.jpg. Could you tell me the dominant colour in the picture?", studio) == [
        "ask_picture"
    ]
    # what is to be told names a tool's work: that work, not a question
    assert tools_chosen("Tell me a summary of notes.txt.", studio)[-1] == "summarize_text"


def test_a_purpose_that_names_what_it_works_on_keeps_it_with_its_means() -> None:
    task = (
        "I recorded a meeting in talk.wav. Could you clean up the audio by removing the hum and separating the voices?"
    )
    assert clauses_without_data(task)[-1] == ("clean up the audio by removing the hum and separating the voices", True)
    assert tools_chosen(task) == ["denoise_audio"]
    # a purpose that names nothing to work on still gives way to its means (pass 12)
    assert clauses_without_data("Could you help me get ready for the interview by summarizing the job advert?") == [
        ("summarizing the job advert", True),
    ]


def test_a_wish_for_the_result_of_work_asks_for_that_work() -> None:
    task = "I have a recording of my lecture, talk.wav. I'd like the transcription of the recording."
    assert clauses_without_data(task)[-1] == ("the transcription of the recording", True)
    assert tools_chosen(task) == ["transcribe_audio"]
    greeting = "Read 'Good evening, everyone' aloud. Moreover, I'd love a translation of the greeting."
    assert "translate_text" in tools_chosen(greeting)
    # a wish for a thing, not for work on something, stays a wish (pass 4)
    assert clauses_without_data("The article is long. I'd like a summarized version.")[-1][1] is False


def test_a_yes_no_question_after_a_request_is_a_sub_goal_of_its_own() -> None:
    task = "Can you caption photo.jpg, and are there any objects in it?"
    assert clauses_without_data(task) == [("caption @p0", True), ("are there any objects in it", True)]
    assert tools_chosen(task) == ["caption_image", "detect_objects"]
    # not outside a question: "there are" tells
    assert clauses_without_data("Caption photo.jpg, and there are some objects in it.")[1] == (
        "there are some objects in it",
        False,
    )


def test_what_the_user_wants_to_know_is_asked_when_a_step_works_on_the_answer() -> None:
    task = (
        "I'm reading a short story: 'The miller hid the gold under the old oak.' I'm trying to figure out "
        "where the gold was hidden, and I need your help to translate the answer into French."
    )
    assert tools_chosen(task) == ["answer_question", "translate_text"]
    # no step works on an answer: what the user is curious about stays context
    assert tools_chosen("I'm curious about the weather tomorrow. Please translate 'Good night' into French.") == [
        "translate_text"
    ]
