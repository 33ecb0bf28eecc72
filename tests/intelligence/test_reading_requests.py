"""How the offline planner reads a request: lead-ins, wishes and suppositions; what a verb makes and
works on; which steps are folded, fed, read, fanned out or stored; how quoted data is kept whole."""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.clauses import Clause, clauses, strip_lead_in
from orchestra.analysis.data import extract
from orchestra.analysis.goals import curious_about, goal_of, made_by_verb
from orchestra.planning.models import PlanningResult
from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import MEDIA, clauses_read, tools_chosen


def _media() -> ToolRegistry:
    return default_registry([MEDIA])


async def _planned(task: str) -> tuple[list[tuple[str, dict[str, object]]], PlanningResult]:
    result = await plan_task(task, _media())
    assert result.execution.plan is not None, result.execution.problems
    return [(n.tool, n.args) for n in result.execution.plan.nodes], result


def test_a_lead_in_ends_at_a_word_boundary_and_asking_for_help_is_a_lead_in():
    assert strip_lead_in("Could you help me interpret the image") == ("interpret the image", True)
    assert strip_lead_in("can you assist me in including the logo") == ("including the logo", True)
    assert strip_lead_in("I need your help to translate the answer") == ("translate the answer", True)
    assert strip_lead_in("I'd appreciate your assistance with summarising it") == ("summarising it", True)
    assert strip_lead_in("would you mind enhancing it") == ("enhancing it", True)


def test_a_supposition_is_context():
    assert clauses_read("Let's say I have a photo named x. Suppose we add a cat. Summarise it.") == [
        ("Let's say I have a photo named x", False),
        ("Suppose we add a cat", False),
        ("Summarise it", True),
    ]


def test_an_ordering_adverb_is_no_step_and_two_verbs_of_one_object_are_one_sub_goal():
    # a lone adverb before work is how or when it is done, no clause (plan324)
    assert clauses_read("Initially, translate it. Could you initiate and conduct a conversation about it?") == [
        ("translate it", True),
        ("initiate and conduct a conversation about it", True),
    ]


def test_a_sentence_with_a_subject_after_its_first_word_tells_rather_than_asks():
    assert clauses_read("Hopefully they keep backups. Thereby we can relax. Summarise it.") == [
        ("Hopefully they keep backups", False),
        ("Thereby we can relax", False),
        ("Summarise it", True),
    ]


def test_an_unknown_word_before_me_or_us_is_a_verb_opening_a_sub_goal():
    found = clauses("Find the author and indulge me in a chat about the works.", lambda word: False)
    assert [c.text for c in found] == ["Find the author", "indulge me in a chat about the works"]


def test_x_before_y_is_two_sub_goals_in_that_order():
    found = clauses("Pick out the essence before turning it into a video.", lambda word: False)
    assert [(c.text, c.ordered) for c in found] == [("Pick out the essence", False), ("turning it into a video", True)]


def test_a_wish_before_the_first_request_is_work_too():
    assert tools_chosen("I'd like to translate 'Hola amigos' into English. Could you then read it aloud?") == [
        "translate_text",
        "read_aloud",
    ]


def test_a_verb_that_says_what_it_makes_asks_for_that_kind_of_data():
    analysis = analyse_heuristic("Illustrate a quiet harbour at dawn with fishing boats.", _media())
    assert [(s.candidates[:1], s.produces) for s in analysis.steps] == [(["text_to_image"], ["image"])]


def test_the_object_of_a_verb_that_says_what_it_makes_is_what_it_works_on():
    goal = goal_of(Clause("visualise the story", asked=True), extract("visualise the story"), _media().index())
    assert goal.wants == ["image"] and "text" in goal.subject


def test_use_x_to_generate_y_makes_y_from_x():
    task = "use this text to generate a new image"
    goal = goal_of(Clause(task, asked=True), extract(task), _media().index())
    assert goal.wants == ["image"] and goal.subject == {"text"}


def test_what_is_transcribed_is_what_the_step_works_on_not_what_it_makes():
    assert tools_chosen("Could you transcribe this audio file talk.wav for me?") == [
        "transcribe_audio"
    ]  # not a denoiser


def test_a_clause_that_only_gives_the_results_form_restates_the_step_before():
    for task, tool in (
        ("Find the objects in photo.jpg and provide me with the output in a text format.", "detect_objects"),
        ("Describe photo.jpg and give me the result as a text file.", "caption_image"),
        ("Read 'Good morning' aloud and save it as an audio clip.", "read_aloud"),
    ):
        assert tools_chosen(task) == [tool], task


def test_a_clause_whose_verb_only_its_own_tool_names_is_not_folded_into_the_step_before():
    # The detector serves "the labelled objects" about as well, but only the summariser summarizes.
    assert tools_chosen("Find the objects in beach.jpg and summarize the labelled objects.") == [
        "detect_objects",
        "summarize_text",
    ]


def test_text_taken_out_of_an_image_is_the_converters_step_not_one_in_front_of_a_text_tool():
    assert tools_chosen("I have a photo named sign.jpg. Extract the text from it.") == [
        "caption_image"
    ]  # no extract_text
    assert tools_chosen("Could you decipher and retrieve the text in sign.jpg?") == ["caption_image"]
    assert tools_chosen("Summarize the text of talk.wav") == ["transcribe_audio", "summarize_text"]  # made anew: both


def test_a_file_named_after_a_making_verb_names_what_is_made_not_what_is_worked_on():
    # not a caption of cover.jpg summarised, nor cover.jpg edited
    assert tools_chosen(
        "Summarize this article for me and create an image named cover.jpg that shows the summary."
    ) == [
        "summarize_text",
        "text_to_image",
    ]


def test_further_before_a_verb_opens_a_sub_goal():
    assert clauses_read("Find the objects in it and further generate a video about them") == [
        ("Find the objects in it", True),
        ("further generate a video about them", True),
    ]


def test_a_vague_request_borrows_what_the_user_said_they_want_to_know():
    # "figure it out" alone says nothing (by meaning it is near "figure", a picture); what is to be
    # figured out is what the user is curious about, not every word of the sentence that says so
    task = "I have two sentences, 'I lost my keys.' and 'I found them again.', and I'm curious whether the second one is positive. Can you figure it out?"  # fmt: skip
    assert tools_chosen(task) == ["classify_sentiment"]
    assert curious_about("I have a sentence lying around and I'm curious about the named entities in it") == [
        "named",
        "entities",
    ]


def test_what_is_transcribed_is_not_a_tool_named_after_it(tmp_path: Path):
    tools = tmp_path / "speech.yaml"
    tools.write_text(
        "version: 1\ntools:\n"
        "  - {name: conversational, kind: http, description: Reply in a conversation., input_types: [text], "
        "output_types: [text], method: POST, url: 'https://c.example.com/r', json: {text: '{{ text }}'}, "
        "inputs: {text: {type: string}}}\n"
        "  - {name: speech_recognition, kind: http, description: Turn speech in a recording into written text., "
        "input_types: [audio], output_types: [text], method: POST, url: 'https://c.example.com/s', "
        "json: {audio: '{{ audio }}'}, inputs: {audio: {type: string}}}\n"
    )
    task = "I recorded an interview in talk.wav. Could you transcribe the conversation for me?"
    steps = analyse_heuristic(task, default_registry([tools])).steps
    assert [s.candidates[0] for s in steps] == ["speech_recognition"]  # not speech to text, then a reply


def test_asking_for_help_with_that_as_well_is_no_step():
    assert tools_chosen("Translate 'Hola' into English. Can you help me with that as well?") == ["translate_text"]


def test_an_adverb_before_a_verb_opens_a_sub_goal_and_aloud_asks_for_sound():
    task = "Detect the objects in photo.jpg and then audibly tell me the detection result."
    assert tools_chosen(task) == ["detect_objects", "read_aloud"]


async def test_a_step_works_on_the_users_data_when_what_the_step_before_made_does_not_fit():
    nodes, _ = await _planned(
        "I have a photo named beach.jpg. Translate 'Hola' into English, then detect the objects in the photo."
    )
    assert nodes == [("translate_text", {"text": "Hola"}), ("detect_objects", {"image": "beach.jpg"})]


async def test_a_sink_stores_what_it_is_given_or_says_it_cannot():
    nodes, result = await _planned("Generate a picture of a red fox and save it as fox.png")
    assert [tool for tool, _ in nodes] == ["text_to_image"]  # no caption of the picture written instead
    (missing,) = result.execution.missing
    assert "save it as" in missing and "the step has ['image']" in missing


async def test_a_text_file_beside_an_image_is_read_for_one_call_that_takes_both():
    nodes, _ = await _planned("Change the background of beach.jpg as described in notes.txt")
    assert nodes == [
        ("read_file", {"path": "notes.txt"}),
        ("edit_image", {"image": "beach.jpg", "instruction": "${read.output.content}"}),
    ]


async def test_items_of_one_kind_fan_out():
    nodes, _ = await _planned("Detect the objects in a.jpg and b.jpg")
    assert [args["image"] for _, args in nodes] == ["a.jpg", "b.jpg"]


async def test_a_question_that_names_what_to_do_goes_to_the_tool_that_does_it():
    nodes, _ = await _planned("How similar are 'the cat sat' and 'a cat was sitting'?")
    # the inputs a and b name no kind: as many inputs as input_types, each takes its own, in order
    assert nodes == [("sentence_similarity", {"a": "the cat sat", "b": "a cat was sitting"})]
    nodes, _ = await _planned("What is the main topic of 'Rain falls on the plain in Spain'?")
    assert [tool for tool, _ in nodes] == ["answer_question"]


def test_a_quote_with_apostrophes_before_accented_letters_is_one_quote():
    found = extract("Translate this: 'Il parle de l'économie. C'est à l'été.' Thanks")
    assert [d.value for d in found.items] == ["Il parle de l'économie. C'est à l'été."]


def test_a_noun_naming_what_an_earlier_step_made_is_its_result_not_work():
    # "the English translation" after a translator names the translation; the step is the summary
    assert tools_chosen(
        "Translate 'Der Vertrag wurde gestern unterzeichnet.' into English, then give me a brief summary of the "
        "English translation."
    ) == ["translate_text", "summarize_text"]
    assert tools_chosen("Transcribe talk.wav and write a short summary of the transcription.") == [
        "transcribe_audio",
        "summarize_text",
    ]


def test_a_participle_before_what_is_made_is_a_step_after_it():
    # "into summarized text": make the text, then summarize it
    assert tools_chosen("Convert the audio file talk.wav into summarized text.") == [
        "transcribe_audio",
        "summarize_text",
    ]
    assert tools_chosen("Please turn the recording talk.wav into translated text.") == [
        "transcribe_audio",
        "translate_text",
    ]
    # a clause whose own words already ask for it is not doubled
    assert tools_chosen("Change talk.wav into summarized text and read it aloud.") == [
        "transcribe_audio",
        "summarize_text",
        "read_aloud",
    ]


ASKING = """
version: 1
tools:
  - {name: answer_question, kind: http, description: Answer a question from a given text.,
     input_types: [text, text], output_types: [text], method: POST, url: "https://q.example.com/qa",
     json: {q: "{{ q }}", context: "{{ context }}"}, inputs: {q: {type: string}, context: {type: string}}}
  - {name: answer_image_question, kind: http, description: Answer a question from a given image.,
     input_types: [image, text], output_types: [text], method: POST, url: "https://q.example.com/vqa",
     json: {image: "{{ image }}", q: "{{ q }}"}, inputs: {image: {type: string}, q: {type: string}}}
"""


def test_a_quoted_question_is_about_the_data_the_user_gave(tmp_path: Path):
    tools = tmp_path / "asking.yaml"
    tools.write_text(ASKING)
    task = "I have a photo named car.jpg. Can you answer the question 'What colour is the car?'"
    steps = analyse_heuristic(task, default_registry([tools])).steps
    assert [s.candidates[0] for s in steps] == ["answer_image_question"]


def test_a_kind_of_data_that_does_work_is_the_work_then_that_kind():
    # "an audio clip that summarizes X": summarize X, then read the summary aloud
    task = "Generate a short audio clip that summarizes this: 'The council voted to close the old bridge for repairs.'"
    assert tools_chosen(task) == ["summarize_text", "read_aloud"]


def test_a_request_in_the_passive_voice_is_a_request():
    assert clauses_read("It would be great if this text could be translated into French and then summarized.") == [
        ("translate this text into French", True),
        ("summarize it", True),
    ]
    assert clauses_read("The story should be narrated aloud.") == [("narrate The story aloud", True)]
    # narration in the past stays context: no modal, no request
    assert clauses_read("The talk was recorded in x.wav.") == [("The talk was recorded in x.wav", False)]


def test_a_particle_after_a_verb_that_says_what_it_makes_makes_another_verb():
    index = _media().index()
    assert made_by_verb(["draw", "a", "cat"], index) == ["image"]
    assert made_by_verb(["draw", "out", "more", "content"], index) == []
