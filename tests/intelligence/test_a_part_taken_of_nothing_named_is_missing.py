"""A part taken away of nothing named ("Strip the comments") is of a text unless a picture or a sound is said, and a
text tool that says no taking away does not do it: with the media catalogue it went to classify_sentiment (found by
meaning), asked for a text to classify. It is missing, and what it takes away from is asked. A tool that says the
taking away still does it where it is named ("Remove the background noise from talk.wav": the denoiser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
# tools that say no taking away, found by meaning for a part taken away
UNASKED = {"classify_sentiment", "translate_text", "summarize_text", "analyze_sentiment", "extract_text"}


@pytest.mark.parametrize(
    "task",
    [
        "Strip the comments",
        "Remove the comments",
        "Delete the blank lines",
        "Summarize notes.txt, then strip the comments",
    ],
)
@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
async def test_a_part_taken_away_is_no_text_tools_work(task: str, catalogue: Path) -> None:
    result = await plan_task(task, as_the_cli_plans(catalogue))
    plan = result.execution.plan
    strip = [n.tool for n in plan.nodes if n.id in ("strip", "remove", "delete")] if plan is not None else []
    assert not (UNASKED | {"delete_file", "denoise_audio"}) & set(strip), strip
    assert result.execution.missing, plan


async def test_a_denoiser_still_takes_the_noise_away() -> None:
    result = await plan_task("Remove the background noise from talk.wav", as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None and [(n.tool, n.args) for n in plan.nodes] == [("denoise_audio", {"audio": "talk.wav"})]
