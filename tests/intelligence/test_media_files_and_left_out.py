"""A picture or a recording file given to a step whose tool takes text is turned into text by a tool
that takes its kind (captioned, transcribed), not read as a text file; and what the request gave a step
that no call takes is said in the plan's warnings, not dropped in silence (attack50). Requests written
for these tests, with the media catalogue."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def test_a_picture_file_compared_is_captioned_not_read() -> None:
    # before: read_file of photo.jpg, its bytes compared with the transcript
    result = await plan_task(
        "Compare the caption of photo.jpg with the transcript of talk.wav", default_registry([MEDIA])
    )
    plan = result.execution.plan
    assert plan is not None and not result.execution.missing_inputs
    tools = {n.id: n.tool for n in plan.nodes}
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert sorted(tools[str(v)[2:].split(".")[0]] for v in compare.args.values()) == [
        "caption_image",
        "transcribe_audio",
    ]
    assert "read_file" not in tools.values()


async def test_a_file_given_to_no_call_is_said() -> None:
    # before: the objects were detected and a.txt left out without a word ("translate 'hello' and a.txt",
    # the example first written here, is now a call each: pass 54, test_links_between_calls.py)
    result = await plan_task("Detect the objects in photo.jpg and a.txt", default_registry([MEDIA]))
    assert any("'a.txt'" in w and "no call" in w for w in result.execution.warnings)
    # two quoted texts for one input, not listed, the second dropped the same way (listed, "'hello' and
    # 'goodbye'", they are a call each: plan89, test_work_named_is_planned_or_missing.py)
    result = await plan_task("Translate 'hello' into the same language as 'bonjour'", default_registry([MEDIA]))
    assert any("'bonjour'" in w and "no call" in w for w in result.execution.warnings)
    # what every call takes raises nothing
    for task in ("Compare a.txt with b.txt", "write 'x' to out.txt", "Translate 'hello' into French"):
        result = await plan_task(task, default_registry([MEDIA]))
        assert not [w for w in result.execution.warnings if "no call" in w], task
