"""A clause opening with "also" that names the image (or recording) by its noun takes the user's own, not what
the step before changed it into: "Edit photo.jpg so the sky is darker. Also, caption the image." captioned the
edit. "the edited image", "it", or "then" instead of "also" still take the edit. Requests written for these
tests, with the media catalogue (edit_image, caption_image, denoise_audio, transcribe_audio)."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _given(request_: str, tool: str) -> object:
    """What the one call of ``tool`` is given (the edit's instruction is left to ask for: no matter here)."""
    result = await plan_task(request_, default_registry([MEDIA]))
    assert result.execution.plan is not None and not result.execution.missing
    (node,) = [n for n in result.execution.plan.nodes if n.tool == tool]
    return next(iter(node.args.values()))


@pytest.mark.parametrize(
    ("request_", "tool", "own"),
    [
        ("Edit photo.jpg so the sky is darker. Also, caption the image.", "caption_image", "photo.jpg"),
        ("Edit photo.jpg so the sky is darker. Also, could you caption the picture?", "caption_image", "photo.jpg"),
        ("Denoise talk.wav. Also, could you transcribe the recording?", "transcribe_audio", "talk.wav"),
    ],
)
async def test_also_the_kind_is_the_users_own(request_: str, tool: str, own: str):
    assert await _given(request_, tool) == own


@pytest.mark.parametrize(
    "request_",
    [
        "Edit photo.jpg so the sky is darker. Also, caption the edited image.",
        "Edit photo.jpg so the sky is darker. Also, caption it.",
        "Edit photo.jpg so the sky is darker, then caption the image.",
        # attack86: words after the noun say which image, the one made ("also" took the user's)
        "Edit photo.jpg so the sky is darker. Also, caption the image afterwards.",
        "Edit photo.jpg so the sky is darker. Also, caption the image you made.",
        "Edit photo.jpg so the sky is darker. Also, caption the image with the darker sky.",
    ],
)
async def test_the_edit_is_still_taken_where_the_clause_says_so(request_: str):
    assert str(await _given(request_, "caption_image")).startswith("${edit.output")


async def test_also_the_recording_said_which_is_the_one_made():
    request_ = "Denoise talk.wav. Also, transcribe the recording without the noise."
    assert str(await _given(request_, "transcribe_audio")).startswith("${denoise.output")
