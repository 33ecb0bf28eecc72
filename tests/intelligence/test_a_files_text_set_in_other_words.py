"""attack330 (issue 11): "Replace the contents of b.txt with hello", "Make b.txt say hello", "Set b.txt to hello",
"Fill b.txt with hello" found no tool (or read b.txt and answered a question): each writes the words to the file, as
"Overwrite b.txt with hello" does. What a file is set to that is no text ("read-only", "644") writes nothing."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


@pytest.mark.parametrize("media", [False, True])
@pytest.mark.parametrize(
    ("task", "content"),
    [
        ("Replace the contents of b.txt with hello", "hello"),
        ("Replace the content of b.txt with 'hello there'", "hello there"),
        ("Replace the text in b.txt with hello world", "hello world"),
        ("Change the contents of b.txt to hello", "hello"),
        ("Update the text of b.txt to hello", "hello"),
        ("Set the contents of b.txt to hello", "hello"),
        ("Make b.txt say hello", "hello"),
        ("Make b.txt contain 'hi there'", "hi there"),
        ("Have b.txt read goodbye", "goodbye"),
        ("Set b.txt to hello", "hello"),
        ("Set b.txt to say hello", "hello"),
        ("Change b.txt to say hello", "hello"),
        ("Update b.txt to read hello", "hello"),
        ("Fill b.txt with hello", "hello"),
        ("Fill b.txt with the text hello", "hello"),
    ],
)
async def test_the_file_is_written_with_the_words(task: str, content: str, media: bool) -> None:
    calls, missing_inputs, _ = await calls_asked_and_said(task, *([MEDIA] if media else []))
    assert calls == [("write_file", {"path": "b.txt", "content": content})], calls
    assert not missing_inputs, missing_inputs


@pytest.mark.parametrize(
    "task", ["Set b.txt to read-only", "Set b.txt to 644", "Set b.txt to uppercase", "Change b.txt to uppercase"]
)
async def test_a_state_set_is_no_text_written(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    written = [n.args.get("content") for n in plan.nodes if n.tool == "write_file"] if plan is not None else []
    assert not any(c in ("read-only", "644", "uppercase") for c in written), written
