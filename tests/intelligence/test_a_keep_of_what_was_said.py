"""attack242: "Delete notes.txt and keep it" deleted notes.txt (a keep joined by "and" took nothing back, as ", but keep
it" did), and a keep after work losing nothing was work of its own: "Summarize notes.txt and keep it" resized
notes.txt (third_party: resize_image says it keeps the aspect ratio), "keep it safe" planned a pause, "keep it short"
a text message (send_sms: "short"). A keep of what was said before is no step; after a delete it takes it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt and keep it",
        "Summarize notes.txt and keep it safe",
        "Summarize notes.txt, keep it short",
        "Translate notes.txt into French and leave it as is",
    ],
)
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_keep_after_other_work_is_no_step(task: str, catalogue: Path) -> None:
    calls, _, _ = await calls_asked_and_said(task, catalogue)
    assert [tool for tool, _ in calls] in (["read_file", "summarize_text"], ["read_file", "translate_text"]), calls


@pytest.mark.parametrize("task", ["Delete notes.txt and keep it", "Delete notes.txt and keep it safe"])
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_keep_after_a_delete_takes_it_back(task: str, catalogue: Path) -> None:
    calls, asked, said = await calls_asked_and_said(task, catalogue)
    assert calls == [("delete_file", {"path": "${inputs.delete_file_path}"})], calls
    assert asked == ["delete_file_path"] and any("taken back" in s for s in said), said
