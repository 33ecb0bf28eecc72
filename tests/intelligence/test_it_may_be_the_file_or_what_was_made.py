"""plan222: a change whose "it" may name two things asks, and a step no tool does is missing.

- "Caption photo.jpg and upload it" (third_party) uploaded the caption, though "it" may be the photo; "... email the
  photo" e-mailed the caption. What a send after text made of a picture, a sound or a film sends is asked.
- "Denoise talk.wav, then delete it" deleted talk.wav, though "it" may be the denoised sound (as "the audio" asks).
- "Transcribe talk.wav and email it" (third_party, no transcriber) took translate_text as the transcriber, found by
  "trans": a tool taking text does nothing to a sound; the step is missing.
- "Remove the text" with nothing named before found a denoiser (media) or said only that no tool takes a part away:
  what it takes away from is asked.
What is clear stays done: "email the caption", "save it as clean.wav", "Delete old.txt", "Summarize notes.txt and
upload it", "Caption photo.jpg and then delete it"."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
URL = "https://x.test/u"


@pytest.mark.parametrize(
    ("task", "body"),
    [
        ("Caption photo.jpg and upload it", "upload_object_content"),
        ("Caption photo.jpg and email it to bob@x.test", "send_email_body"),
        ("Caption photo.jpg and share it", "post_message_text"),
        (f"Caption photo.jpg and post it to {URL}", "http_request_body"),
        ("Describe photo.jpg and email it to bob@x.test", "send_email_body"),
        ("Caption photo.jpg and email the photo to bob@x.test", "send_email_body"),
    ],
)
async def test_a_send_of_it_after_text_made_of_a_picture_is_asked(task: str, body: str) -> None:
    calls, asked, notes = await calls_asked_and_said(task, THIRD_PARTY)
    assert body in asked, (calls, asked)
    assert not any("${caption" in str(args) or "${describe" in str(args) for _, args in calls), calls
    assert any("does not say what it sends" in note and "photo.jpg" in note for note in notes), notes


@pytest.mark.parametrize(
    ("task", "catalogue", "body", "sent"),
    [
        (
            "Caption photo.jpg and email the caption to bob@x.test",
            THIRD_PARTY,
            "body",
            "${caption.output.json.caption}",
        ),
        ("Summarize notes.txt and upload it", THIRD_PARTY, "content", "${summarize.output.json.summary}"),
        (f"Summarize notes.txt and post it to {URL}", MEDIA, "body", "${summarize.output.text}"),
    ],
)
async def test_a_send_of_what_is_said_is_sent(task: str, catalogue: Path, body: str, sent: str) -> None:
    calls, _, notes = await calls_asked_and_said(task, catalogue)
    assert calls[-1][1].get(body) == sent, calls
    assert not any("does not say what it sends" in note for note in notes), notes


@pytest.mark.parametrize(
    ("task", "catalogue", "named"),
    [
        ("Denoise talk.wav, then delete it", MEDIA, "talk.wav"),
        ("Denoise talk.wav and remove it", MEDIA, "talk.wav"),
        ("Resize photo.jpg and delete it", MEDIA, "photo.jpg"),
        ("Resize photo.jpg and delete it", THIRD_PARTY, "photo.jpg"),
        ("Denoise talk.wav, then delete it", THIRD_PARTY, "talk.wav"),  # no denoiser: what it makes is unknown
    ],
)
async def test_a_delete_of_it_after_a_step_making_its_kind_is_asked(task: str, catalogue: Path, named: str) -> None:
    calls, asked, notes = await calls_asked_and_said(task, catalogue)
    assert ("delete_file", {"path": named}) not in calls, calls
    assert "delete_file_path" in asked, asked
    assert any("does not say which file it deletes" in note and named in note for note in notes), notes


@pytest.mark.parametrize(
    ("task", "named"),
    [
        ("Caption photo.jpg and then delete it", "photo.jpg"),
        ("Summarize notes.txt and then delete it", "notes.txt"),
        ("Delete old.txt", "old.txt"),
    ],
)
async def test_a_delete_of_it_after_text_made_of_it_deletes_it(task: str, named: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("delete_file", {"path": named}), calls
    assert not asked, asked


@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_denoised_sound_saved_is_no_delete_nor_send(catalogue: Path) -> None:
    # third_party has no denoiser: the sound it would make is stored by no tool there, so no step is planned
    result = await plan_task("Denoise talk.wav and save it as clean.wav", as_the_cli_plans(catalogue))
    plan = result.execution.plan
    tools = {n.tool for n in plan.nodes} if plan is not None else set()
    assert not {"delete_file", "send_email", "upload_object"} & tools, tools
    notes = [*result.analysis.notes, *result.execution.warnings]
    assert not any("does not say" in note for note in notes), notes


@pytest.mark.parametrize(
    "task",
    [
        "Transcribe talk.wav and email it to bob@x.test",
        f"Transcribe clip.mp4 and post it to {URL}",
        "Transcribe talk.mp3 and save it to t.txt",
    ],
)
async def test_a_tool_taking_text_does_not_transcribe_a_sound(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    assert "translate_text" not in [n.tool for n in plan.nodes], plan.nodes
    assert any("'transcribe'" in m for m in result.execution.missing), result.execution.missing


async def test_a_sound_summarized_is_still_summarized() -> None:
    """A tool whose own words say the verb is given text made of the sound: with a transcriber it is bridged in."""
    calls, asked, _ = await calls_asked_and_said(f"Summarize talk.wav and post it to {URL}", MEDIA)
    assert [tool for tool, _ in calls] == ["transcribe_audio", "summarize_text", "http_request"], calls
    assert not asked, asked


@pytest.mark.parametrize("task", ["Remove the text", "Remove the words", "Delete the first line", "Strip the comments"])
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_part_taken_away_of_nothing_named_asks_of_what(task: str, catalogue: Path) -> None:
    result = await plan_task(task, as_the_cli_plans(catalogue))
    plan = result.execution.plan
    tools = [n.tool for n in plan.nodes] if plan is not None else []
    assert not {"denoise_audio", "delete_file", "comment_on_issue"} & set(tools), tools
    assert any("does not say what it takes away from" in note for note in result.analysis.notes), result.analysis.notes
