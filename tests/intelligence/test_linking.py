"""Which step feeds which: the implicit steps put in front of a tool, and where each step's input
comes from. Requests and the studio catalogue are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry

STUDIO = """
version: 1
tools:
  - {name: speech_synthesis, kind: http, description: Synthesize natural sounding speech from written words., input_types: [text], output_types: [audio], method: POST, url: "https://s.example.com/tts", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: speech_recognition, kind: http, description: Turn the speech in a recording into written words., input_types: [audio], output_types: [text], method: POST, url: "https://s.example.com/asr", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: shorten_document, kind: http, description: Produce a shorter version of a document that keeps its key points., input_types: [text], output_types: [text], method: POST, url: "https://s.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: caption_picture, kind: http, description: Write one sentence saying what a picture shows., input_types: [image], output_types: [text], method: POST, url: "https://s.example.com/cap", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: find_objects, kind: http, description: Find and label the objects in a picture with boxes., input_types: [image], output_types: [text], method: POST, url: "https://s.example.com/od", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: paint_from_prompt, kind: http, description: Paint a picture from a text prompt., input_types: [text], output_types: [image], method: POST, url: "https://s.example.com/t2i", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: restyle_picture, kind: http, description: Change a picture as an instruction says., input_types: [image, text], output_types: [image], method: POST, url: "https://s.example.com/edit", json: {image: "{{ image }}", instruction: "{{ instruction }}"}, inputs: {image: {type: string}, instruction: {type: string}}}
  - {name: remove_noise, kind: http, description: Remove background noise from a recording., input_types: [audio], output_types: [audio], method: POST, url: "https://s.example.com/dn", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: answer_about_picture, kind: http, description: Answer a question about what a picture shows., input_types: [image, text], output_types: [text], method: POST, url: "https://s.example.com/vqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
  - {name: compare_sentences, kind: http, description: Score how similar two sentences are in meaning., input_types: [text, text], output_types: [text], method: POST, url: "https://s.example.com/sim", json: {a: "{{ a }}", b: "{{ b }}"}, inputs: {a: {type: string}, b: {type: string}}}
  - {name: clip_from_prompt, kind: http, description: Make a short film clip from a text prompt., input_types: [text], output_types: [video], method: POST, url: "https://s.example.com/t2v", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def _registry(tmp_path: Path) -> ToolRegistry:
    tools = tmp_path / "studio.yaml"
    tools.write_text(STUDIO)
    return default_registry([tools])


async def _plan(tmp_path: Path, task: str) -> Plan:
    result = await plan_task(task, _registry(tmp_path))
    assert result.execution.plan is not None
    return result.execution.plan


async def test_no_implied_step_turns_data_into_a_kind_the_tool_only_turns_back(tmp_path: Path):
    # text -> speech -> text makes nothing new: the recogniser is fed by a plan input, not by speech
    # synthesised from the summary only to be recognised again
    plan = await _plan(
        tmp_path,
        "Shorten the text 'The bridge stays closed until May because of repairs' and turn the speech in it into written words",
    )
    assert [n.tool for n in plan.nodes] == ["shorten_document", "speech_recognition"]
    assert plan.nodes[1].args["audio"].startswith("${inputs.")


async def test_an_implied_step_that_makes_something_new_is_still_added(tmp_path: Path):
    plan = await _plan(tmp_path, "Paint a picture of what is said in talk.wav")
    assert [n.tool for n in plan.nodes] == ["speech_recognition", "paint_from_prompt"]
    heard, painted = plan.nodes
    assert heard.args == {"audio": "talk.wav"} and painted.args["text"].startswith(f"${{{heard.id}.output")


async def test_a_clause_works_on_the_users_data_named_since_the_step_before(tmp_path: Path):
    # "this photo" is the one named last, not the picture the step before paints
    plan = await _plan(
        tmp_path,
        "Paint a picture from the prompt 'a red fox in the snow'. I have another photo, beach.jpg, "
        "and I'd like you to find the objects in this photo.",
    )
    assert [n.tool for n in plan.nodes] == ["paint_from_prompt", "find_objects"]
    assert plan.nodes[1].args == {"image": "beach.jpg"}


async def test_a_clause_after_a_step_on_the_users_data_works_on_what_that_step_made(tmp_path: Path):
    # beach.jpg is named before the step that restyles it: "it" is the restyled picture
    plan = await _plan(tmp_path, "Restyle beach.jpg as a watercolour and then find the objects in it")
    restyled, found = plan.nodes
    assert [restyled.tool, found.tool] == ["restyle_picture", "find_objects"]
    assert found.args["image"].startswith(f"${{{restyled.id}.output")


async def test_a_later_clauses_own_data_is_not_an_earlier_steps_input(tmp_path: Path):
    # 'the budget was approved' is what the comparison takes; the summary is of the recording
    plan = await _plan(
        tmp_path,
        "I have a recording of the meeting, talk.wav. Shorten what was said, and then tell me how "
        "similar the result is to 'the budget was approved'.",
    )
    assert [n.tool for n in plan.nodes] == ["speech_recognition", "shorten_document", "compare_sentences"]
    heard, short, compared = plan.nodes
    assert heard.args == {"audio": "talk.wav"}
    assert short.args["text"].startswith(f"${{{heard.id}.output")
    assert compared.args["a"].startswith(f"${{{short.id}.output") and compared.args["b"] == "the budget was approved"


PAINT_THEN_HEAR = (
    "Paint a picture from the prompt 'a red fox in the snow', then turn the question I recorded in "
    "talk.wav into written words, and finally answer that question"
)


async def test_a_step_of_two_inputs_is_fed_by_the_newest_step_and_the_users_data(tmp_path: Path):
    # the question comes from the step just before; the picture painted two steps back is not
    # what "answer that question" is about: the user's photo is
    plan = await _plan(tmp_path, f"I have a photo, beach.jpg. {PAINT_THEN_HEAR}.")
    painted, heard, answered = plan.nodes
    assert answered.tool == "answer_about_picture"
    assert answered.args["image"] == "beach.jpg"
    assert answered.args["question"].startswith(f"${{{heard.id}.output")
    assert not any(f"${{{painted.id}." in str(v) for v in answered.args.values())


async def test_a_step_of_two_inputs_takes_an_older_steps_result_it_names(tmp_path: Path):
    plan = await _plan(tmp_path, f"{PAINT_THEN_HEAR} about the picture.")
    painted, heard, answered = plan.nodes
    assert answered.args["image"].startswith(f"${{{painted.id}.output")
    assert answered.args["question"].startswith(f"${{{heard.id}.output")


CAPTION_AND_TRANSCRIPT = "Write a caption for beach.jpg, turn the speech in talk.wav into written words, and then"


async def test_a_tool_taking_two_texts_collects_the_two_results_the_clause_compares(tmp_path: Path):
    plan = await _plan(tmp_path, f"{CAPTION_AND_TRANSCRIPT} tell me how similar the caption is to the transcript.")
    caption, heard, compared = plan.nodes
    assert compared.tool == "compare_sentences"
    assert compared.args == {"a": f"${{{caption.id}.output.text}}", "b": f"${{{heard.id}.output.text}}"}


async def test_inputs_of_one_kind_take_one_result_each(tmp_path: Path):
    # "they": both results, one per input, not both joined into the first and the second left empty
    plan = await _plan(tmp_path, f"{CAPTION_AND_TRANSCRIPT} tell me how similar they are.")
    caption, heard, compared = plan.nodes
    assert compared.args == {"a": f"${{{caption.id}.output.text}}", "b": f"${{{heard.id}.output.text}}"}


async def test_a_question_is_asked_in_its_own_words_not_with_the_step_befores_result(tmp_path: Path):
    # "Then" orders the question after the caption; the caption is not the question
    plan = await _plan(
        tmp_path, "Write one sentence saying what photo.jpg shows. Then, what colour is the car in the picture?"
    )
    caption, answered = plan.nodes
    assert caption.tool == "caption_picture" and answered.tool == "answer_about_picture"
    assert answered.args == {"image": "photo.jpg", "question": "what colour is the car in the picture"}
    assert plan.inputs == {}, "the user is not asked again for the question they asked"


async def test_a_question_asked_of_several_pictures_is_asked_of_each(tmp_path: Path):
    plan = await _plan(tmp_path, "What is the man holding in a.jpg, b.jpg and c.jpg?")
    assert [n.args["image"] for n in plan.nodes] == ["a.jpg", "b.jpg", "c.jpg"]
    assert all(n.args["question"].startswith("What is the man holding") for n in plan.nodes)


async def test_what_a_picture_is_to_show_is_its_prompt(tmp_path: Path):
    plan = await _plan(tmp_path, "Paint a picture of a red barn at sunset")
    assert [(n.tool, n.args) for n in plan.nodes] == [("paint_from_prompt", {"text": "a red barn at sunset"})]
    assert plan.inputs == {}, "the user is not asked again for the picture they described"


async def test_a_described_picture_after_other_work_is_not_made_of_that_work(tmp_path: Path):
    plan = await _plan(tmp_path, "Shorten the text in notes.txt, then paint a picture of a lighthouse in a storm")
    assert plan.nodes[-1].tool == "paint_from_prompt"
    assert plan.nodes[-1].args == {"text": "a lighthouse in a storm"}


@pytest.mark.parametrize("what", ["of it", "about the summary", "of the shortened text"])
async def test_a_picture_of_an_earlier_result_is_made_of_that_result(tmp_path: Path, what: str):
    plan = await _plan(tmp_path, f"Shorten the text in notes.txt, then paint a picture {what}")
    shortened, painted = plan.nodes[-2:]
    assert shortened.tool == "shorten_document" and painted.tool == "paint_from_prompt"
    assert painted.args == {"text": f"${{{shortened.id}.output.text}}"}


@pytest.mark.parametrize(
    ("task", "tool", "arg", "value"),
    [
        (
            "Paint a picture from the prompt 'a castle', then find the objects in photo.jpg",
            "find_objects",
            "image",
            "photo.jpg",
        ),
        (
            "Synthesize speech from the words 'hello', then remove the noise from talk.wav",
            "remove_noise",
            "audio",
            "talk.wav",
        ),
    ],
)
async def test_then_with_data_of_its_own_comes_after_the_step_before_but_works_on_its_own(
    tmp_path: Path, task: str, tool: str, arg: str, value: str
):
    plan = await _plan(tmp_path, task)
    first, then = plan.nodes
    assert then.tool == tool and then.args == {arg: value}
    assert then.depends_on == [first.id], "'then' still orders it"


async def test_then_with_one_of_two_texts_of_its_own_takes_the_other_from_the_step_before(tmp_path: Path):
    plan = await _plan(
        tmp_path, "Turn the speech in talk.wav into written words, then compare them with 'good morning'"
    )
    heard, compared = plan.nodes
    assert compared.args == {"a": f"${{{heard.id}.output.text}}", "b": "good morning"}


async def test_the_analysis_says_then_with_data_of_its_own_is_an_ordering(tmp_path: Path):
    task = "Paint a picture from the prompt 'a castle', then find the objects in photo.jpg"
    result = await plan_task(task, _registry(tmp_path))
    assert [(d.kind.value, d.step, d.on) for d in result.analysis.dependencies] == [("ordering", "find", "paint")]


async def test_a_sink_that_refers_back_stores_what_a_step_made_not_the_users_other_data(tmp_path: Path):
    # No tool here stores a picture: "save it" is not the prompt written to fox.png instead, nor a file
    # whose content the user is asked for; after "then" as after "and", the step is missing
    result = await plan_task("Paint a picture from the prompt 'a fox', then save it as fox.png", _registry(tmp_path))
    assert result.execution.plan is not None
    (painted,) = result.execution.plan.nodes
    assert painted.tool == "paint_from_prompt"
    (missing,) = result.execution.missing
    assert "save it as" in missing and "the step has ['image']" in missing
