"""``ORCHESTRA_PLAN_TYPES=0`` really turns data types off (the ablation's baseline)."""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def test_steps_added_by_type_go_when_types_are_off(monkeypatch: pytest.MonkeyPatch):
    task = "Make a picture of what is said in talk.wav"
    registry = default_registry([MEDIA])
    assert [s.candidates[0] for s in analyse_heuristic(task, registry).steps] == ["transcribe_audio", "text_to_image"]
    monkeypatch.setenv("ORCHESTRA_PLAN_TYPES", "0")
    assert [s.candidates[0] for s in analyse_heuristic(task, registry).steps] == ["text_to_image"]
