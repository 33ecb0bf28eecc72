"""Which earlier results a step takes: the same work asked again on something new takes none of
them, a step that makes a sound or a picture from its own words needs nothing converted for it, and
a sink told to store "them" collects every result no step has taken. Requests written for these
tests, with the media catalogue (and a sound tool added where a request asks for a sound)."""

from __future__ import annotations

from pathlib import Path

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")
SOUND = (
    "  - {name: compose_sound, kind: http, description: Generate a sound effect or a short piece of music from a"
    ' text description., input_types: [text], output_types: [audio], method: POST, url: "https://m.example.com/snd",'
    ' json: {text: "{{ text }}"}, inputs: {text: {type: string}}}\n'
)


async def _plan(task: str, tools: Path = MEDIA) -> Plan:
    result = await plan_task(task, default_registry([tools]))
    assert not result.execution.missing, result.execution.missing
    assert result.execution.plan is not None
    return result.execution.plan


def _with_sound(tmp_path: Path) -> Path:
    tools = tmp_path / "media_and_sound.yaml"
    tools.write_text(MEDIA.read_text() + SOUND)
    return tools


async def test_the_same_work_on_other_data_of_the_users_is_not_fed_the_first_result():
    # "my letter" is the user's, not the French notes: its text is the user's to give
    plan = await _plan("Translate my notes into French. Then translate my letter into German.")
    first, second = plan.nodes
    assert [first.tool, second.tool] == ["translate_text", "translate_text"]
    assert second.args["text"].startswith("${inputs.") and second.args["text"] != first.args["text"]


async def test_a_step_ordered_after_another_still_reads_its_own_file():
    # before, "letter.txt" went to the translator as the text to translate, unread
    plan = await _plan("Translate notes.txt into French. Then translate letter.txt into German.")
    by_tool = [(n.tool, n.args) for n in plan.nodes]
    assert ("read_file", {"path": "letter.txt"}) in by_tool
    reader = next(n for n in plan.nodes if n.args == {"path": "letter.txt"})
    translations = [n for n in plan.nodes if n.tool == "translate_text"]
    assert len(translations) == 2
    assert translations[1].args["text"] == f"${{{reader.id}.output.content}}"


async def test_a_sink_told_to_store_them_collects_every_result_of_any_kind():
    plan = await _plan("Generate a picture of a cat, then read 'hello there' aloud, and save them to out.json")
    picture, speech, save = plan.nodes
    assert [picture.tool, speech.tool, save.tool] == ["text_to_image", "read_aloud", "write_file"]
    assert save.args["path"] == "out.json"
    stored = save.args["json"]
    assert isinstance(stored, list) and len(stored) == 2
    assert stored[0].startswith(f"${{{picture.id}.output") and stored[1].startswith(f"${{{speech.id}.output")


async def test_a_step_after_another_only_by_order_leaves_that_result_to_the_sink(tmp_path: Path):
    # the sound is not made from the picture, so "them" is the picture and the sound
    plan = await _plan(
        "Create a picture of a lighthouse. Then compose a sound of waves. Save them to out.json.", _with_sound(tmp_path)
    )
    picture, sound, save = plan.nodes
    assert [picture.tool, sound.tool, save.tool] == ["text_to_image", "compose_sound", "write_file"]
    assert sound.args["text"] == "waves"
    assert len(save.args["json"]) == 2


async def test_no_converter_goes_in_front_of_a_step_its_own_words_feed(tmp_path: Path):
    # "a sound of rain" is the sound tool's text: no caption of the cat picture in front of it
    plan = await _plan("Generate a picture of a cat, then generate a sound of rain", _with_sound(tmp_path))
    assert [n.tool for n in plan.nodes] == ["text_to_image", "compose_sound"]
    assert plan.nodes[1].args == {"text": "rain"}


async def test_a_sink_of_one_result_still_stores_that_result():
    plan = await _plan("Summarize 'The bridge stays closed until May because of repairs' and save it to s.txt")
    summary, save = plan.nodes
    assert save.tool == "write_file" and save.args["content"].startswith(f"${{{summary.id}.output")


async def test_a_result_named_by_its_work_is_that_steps_not_the_newest():
    # "the transcript" is what the transcription made, not the summary made after it
    plan = await _plan("Transcribe talk.wav and summarize it, then translate the transcript into French")
    heard, summary, translation = plan.nodes
    assert [heard.tool, summary.tool, translation.tool] == ["transcribe_audio", "summarize_text", "translate_text"]
    assert translation.args["text"] == f"${{{heard.id}.output.text}}"


async def test_a_kind_of_data_names_no_one_step():
    # "the text" could be any text tool's: the newest text is read aloud
    plan = await _plan("Caption photo.jpg, translate it into German, then read the text aloud")
    _, translation, speech = plan.nodes
    assert speech.args["text"] == f"${{{translation.id}.output.text}}"


async def test_a_sink_naming_several_results_by_their_work_stores_each():
    plan = await _plan(
        "Transcribe talk.wav, summarize it, and translate it into French. "
        "Then save the summary and the translation to out.json"
    )
    _, summary, translation, save = plan.nodes
    assert save.args["json"] == [f"${{{summary.id}.output.text}}", f"${{{translation.id}.output.text}}"]


async def test_both_are_the_two_newest_results_though_one_was_made_from_the_other():
    plan = await _plan("Summarize notes.txt and translate it into German, then read both aloud")
    summary = next(n for n in plan.nodes if n.tool == "summarize_text")
    translation = next(n for n in plan.nodes if n.tool == "translate_text")
    # one call each (pass 44): the two texts were read aloud run together as one
    speeches = [n for n in plan.nodes if n.tool == "read_aloud"]
    assert [s.args["text"] for s in speeches] == [
        f"${{{summary.id}.output.text}}",
        f"${{{translation.id}.output.text}}",
    ]


async def test_a_sink_told_to_store_both_stores_the_two_newest_results():
    plan = await _plan("Caption photo.jpg, then read it aloud and save both to out.json")
    caption, speech, save = plan.nodes
    stored = save.args["json"]
    assert isinstance(stored, list) and len(stored) == 2
    assert stored[0].startswith(f"${{{caption.id}.output") and stored[1].startswith(f"${{{speech.id}.output")
