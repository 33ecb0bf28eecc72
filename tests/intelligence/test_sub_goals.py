"""Which sub-goals a request has (pass 12 of the offline planner): the work a purpose is done by, the
items of a list announced before, data offered on its own, and a step the request takes for granted;
each checked against the small media catalogue written for the tests."""

from __future__ import annotations

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.data import extract
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, clauses_without_data, tools_chosen


def test_the_work_after_by_is_the_sub_goal_not_the_purpose_before_it():
    assert clauses_without_data("Could you help me get ready for the interview by summarizing the job advert?") == [
        ("summarizing the job advert", True),
    ]
    # the purpose's words ("how positive", "mood") would otherwise pick a tool of their own
    assert tools_chosen("Help me judge how positive the mood of photo.jpg is by describing what it shows.") == [
        "caption_image",
    ]
    # a purpose with data of its own keeps it: the data is what the work is done on
    assert clauses_without_data("Modify photo.jpg by changing the sky to pink.")[0][0].startswith("Modify")


def test_the_items_of_a_list_announced_before_are_sub_goals():
    assert clauses_without_data(
        "Can you do a few things with it? For example, describing photo.jpg and reading it aloud."
    ) == [
        ("do a few things with it", True),
        ("describing @p0", True),
        ("reading it aloud", True),
    ]
    assert tools_chosen(
        "I have a recording, talk.wav. Could you do a few things with it? Such as transcribing it, "
        "summarizing the transcript and reading the summary aloud."
    ) == ["transcribe_audio", "summarize_text", "read_aloud"]


def test_data_offered_on_its_own_belongs_to_the_step_before_and_is_no_step():
    task = "I'd love to translate a greeting into Spanish. How about 'Good morning, my friends'?"
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    assert [s.candidates[:1] for s in steps] == [["translate_text"]]  # nothing reported missing
    assert [d.value for d in steps[0].data] == ["Good morning, my friends"]


def test_a_step_the_request_takes_for_granted_goes_first():
    # "the denoised speech": nothing before denoises it, so that step comes first
    assert tools_chosen("Read 'Welcome aboard' aloud, then transcribe the denoised speech.") == [
        "read_aloud",
        "denoise_audio",
        "transcribe_audio",
    ]
    # not where the request did it or tells of it
    assert tools_chosen("Read 'Welcome aboard' aloud, denoise it, then transcribe the denoised speech.") == [
        "read_aloud",
        "denoise_audio",
        "transcribe_audio",
    ]
    assert tools_chosen("I recorded my talk in talk.wav. Transcribe the recorded audio.") == ["transcribe_audio"]


def test_a_word_of_work_with_an_s_tells_or_is_a_noun_unless_an_object_follows():
    assert clauses_without_data("Looks like photo.jpg shows a busy street. Describe it.") == [
        ("Looks like @p0 shows a busy street", False),
        ("Describe it", True),
    ]
    assert clauses_without_data("Detect the objects in photo.jpg and give me boxes and labels for them.") == [
        ("Detect the objects in @p0", True),
        ("give me boxes labels for them", True),
    ]
    assert tools_chosen("Detect the objects in photo.jpg and give me boxes and labels for them.") == ["detect_objects"]


def test_a_wish_with_a_verb_alone_is_an_intent_unless_nothing_else_is_asked():
    assert clauses_without_data("The caption seems wrong, but I want to confirm. Could you describe photo.jpg?") == [
        ("The caption seems wrong", False),
        ("confirm", False),
        ("describe @p0", True),
    ]
    assert tools_chosen("The caption seems wrong, but I want to confirm. Could you describe photo.jpg?") == [
        "caption_image"
    ]
    assert tools_chosen("I want to translate. The text is 'Bonjour tout le monde'.") == ["translate_text"]


def test_a_result_only_handed_over_in_a_language_is_a_translation():
    assert tools_chosen("Caption photo.jpg, then give me the result in German.") == ["caption_image", "translate_text"]
    assert tools_chosen("Answer 'Who won?' from notes.txt and tell me the answer in Spanish.")[-1] == "translate_text"
    # an object that names work is that work, not only a language
    assert "summarize_text" in tools_chosen("Caption photo.jpg, then give me a summary in German.")


def test_a_supposition_is_context_through_its_sentence():
    assert clauses_without_data("Imagine you are on holiday and find an old photo, beach.jpg. Describe it for me.") == [
        ("Imagine you are on holiday", False),
        ("find an old photo @p0", False),
        ("Describe it for me", True),
    ]


def test_a_quoted_file_name_with_its_sentence_s_comma_inside_the_quotes_is_a_file():
    items = extract("I found one, named 'beach.jpg,' on my phone.").items
    assert [(d.kind, d.value) for d in items] == [("path", "beach.jpg")]
    assert tools_chosen("I found a photo named 'beach.jpg,' on my phone. Describe it.") == ["caption_image"]
