"""Look-alike tools: the same verb on different kinds of data. What the step receives decides, not
which description is shortest."""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.words import terms
from orchestra.registry import default_registry

# Two classifiers that both take an image: one of whole pictures, described at length, and one of
# tables, described in a few words (BM25's length normalisation favours it for "classify").
CATALOGUE = """\
version: 1
tools:
  - {name: restyle_image, kind: http, description: Transform an image into a new image in another style., input_types: [image], output_types: [image], method: POST, url: "https://l.example.com/style", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: image_classification, kind: http, description: "Assign a label or class to an entire image. The model takes an image as input and returns a prediction about which class the image belongs to, with a score for each.", input_types: [image], output_types: [text], method: POST, url: "https://l.example.com/ic", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: tabular_classification, kind: http, description: Classify a table given as an image., input_types: [image], output_types: [text], method: POST, url: "https://l.example.com/tc", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: summarize_text, kind: http, description: Produce a shorter version of a text., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_a_tool_whose_name_names_the_kind_the_step_receives_wins_among_look_alikes(tmp_path: Path):
    tools = tmp_path / "look_alike.yaml"
    tools.write_text(CATALOGUE)
    steps = analyse_heuristic(
        "Turn 'city.jpg' into an image in the style of Van Gogh, then classify the result.",
        default_registry([tools]),
    ).steps
    assert [s.candidates[0] for s in steps] == ["restyle_image", "image_classification"]


# Two question answerers that take an image and a question: the user's word for their file decides.
QUESTIONS = """\
version: 1
tools:
  - {name: visual_question_answering, kind: http, description: Answer a question about an image., input_types: [image, text], output_types: [text], method: POST, url: "https://l.example.com/vqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
  - {name: document_question_answering, kind: http, description: "Answer a question about a scanned page given as an image, such as a form, an invoice or a letter.", input_types: [image, text], output_types: [text], method: POST, url: "https://l.example.com/dqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
  - {name: summarize_text, kind: http, description: Produce a shorter version of a text., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_the_users_word_for_their_file_picks_among_tools_that_take_it(tmp_path: Path):
    tools = tmp_path / "questions.yaml"
    tools.write_text(QUESTIONS)
    registry = default_registry([tools])
    ask = "Can you answer the question 'When is the meeting?' about it?"
    document = analyse_heuristic(f"I have this document image 'memo.jpg'. {ask}", registry).steps
    photo = analyse_heuristic(f"I have this holiday image 'beach.jpg'. {ask}", registry).steps
    assert [s.candidates[0] for s in document] == ["document_question_answering"]
    assert [s.candidates[0] for s in photo] == ["visual_question_answering"]


# A summariser and a chat tool: "a summary of the conversation" names the chat tool's word after "of".
TALK = """\
version: 1
tools:
  - {name: summarization, kind: http, description: "Produce a shorter version of a document while keeping its important information; some models extract text from the input, others generate new text.", input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: conversational, kind: http, description: Generate a reply in a chat., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/chat", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_what_a_noun_of_work_is_done_on_earns_no_name_bonus(tmp_path: Path):
    tools = tmp_path / "talk.yaml"
    tools.write_text(TALK)
    registry = default_registry([tools])
    task = "Please provide a summary of the conversation: 'A: hello. B: hi, how are you?'"
    assert [s.candidates[0] for s in analyse_heuristic(task, registry).steps] == ["summarization"]
    chat = "Please continue the conversation: 'A: hello. B: hi, how are you?'"
    assert [s.candidates[0] for s in analyse_heuristic(chat, registry).steps] == ["conversational"]


def test_an_adjective_in_ular_is_the_noun_it_comes_from(tmp_path: Path):
    assert terms("tabular") == terms("table")
    assert terms("circular") == terms("circle")
    tools = tmp_path / "look_alike.yaml"
    # only the name says "table": its description speaks of a spreadsheet
    tools.write_text(CATALOGUE.replace("Classify a table given as an image.", "Assign a class to a spreadsheet shot."))
    steps = analyse_heuristic("Classify the table in 'sheet.jpg'.", default_registry([tools])).steps
    assert [s.candidates[0] for s in steps] == ["tabular_classification"]
