"""The joint decoder (``ORCHESTRA_DECODER=joint``) keeps what clause-first planning guarantees: the
README's plans, a missing sub-goal listed while the rest is planned; and ``ORCHESTRA_PLAN_TYPES=0``
really turns data types off (the ablation's baseline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.test_any_registry import README_PLANS, TRAVEL

MEDIA = Path(__file__).with_name("media_tools.yaml")


@pytest.fixture
def joint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCHESTRA_DECODER", "joint")


@pytest.mark.usefixtures("joint")
async def test_readme_tasks_keep_their_plans_with_joint_decoding():
    for task, expected in README_PLANS.items():
        plan = (await plan_task(task, default_registry())).execution.plan
        assert plan is not None, task
        assert [[n.id, n.tool, n.args, n.depends_on] for n in plan.nodes] == expected, task


@pytest.mark.usefixtures("joint")
async def test_joint_decoding_lists_what_nothing_serves_and_plans_the_rest():
    result = await plan_task(
        "Book a hotel in 'Rome' for 3 nights and teleport my luggage there.", default_registry([TRAVEL])
    )
    execution = result.execution
    assert execution.plan is not None and [n.tool for n in execution.plan.nodes] == ["book_hotel"]
    (missing,) = execution.missing
    assert "teleport my luggage" in missing and "creation required" in missing


@pytest.mark.parametrize("decoder", ["clauses", "joint"])
def test_steps_added_by_type_go_when_types_are_off(monkeypatch: pytest.MonkeyPatch, decoder: str):
    monkeypatch.setenv("ORCHESTRA_DECODER", decoder)
    task = "Make a picture of what is said in talk.wav"
    registry = default_registry([MEDIA])
    assert [s.candidates[0] for s in analyse_heuristic(task, registry).steps] == ["transcribe_audio", "text_to_image"]
    monkeypatch.setenv("ORCHESTRA_PLAN_TYPES", "0")
    assert [s.candidates[0] for s in analyse_heuristic(task, registry).steps] == ["text_to_image"]
