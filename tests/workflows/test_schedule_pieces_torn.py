"""attack322: a piece of a plan's schedule that no cut gives (read twice or from another run, its phases or options
not each step's) raised a ValueError or IndexError in workflow code, or was joined silently: the workflow task failed
again and again and the run never ended, or steps ran in the wrong phase or with another step's options. It is now a
non-retryable error the run ends with, saying what is wrong with the piece."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

import activities.tools
from orchestra import plan_chain
from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import by_reference
from orchestra.record import AgentState
from orchestra.registry import default_registry
from orchestra.schedule_pieces import ScheduleJoiner, SchedulePiece, cut, head_of
from orchestra.settings import Settings
from orchestra.validation import PlanSchedule, prepare_plan
from tests.helpers import record_of, worker_for
from tests.workflows.test_schedule_in_pieces import _plan
from workflows.orchestration import OrchestrationWorkflow


def _schedule() -> PlanSchedule:
    return prepare_plan(parse_plan(_plan(20)), default_registry()).schedule()


def _torn(pieces: list[SchedulePiece]) -> str:
    joiner = ScheduleJoiner(head_of(_schedule()))
    with pytest.raises(ApplicationError) as raised:
        for piece in pieces:
            joiner.add(piece)
        joiner.joined()
    assert raised.value.non_retryable, raised.value
    return raised.value.message


def test_a_piece_read_twice_is_refused() -> None:
    first, *rest = cut(_schedule(), 4, plan_chain.PLAN_PIECE_BYTES)
    assert "gives step 'w' again" in _torn([first, *rest, first])


def test_a_step_in_no_phase_there_is_is_refused() -> None:
    first, *rest = cut(_schedule(), 4, plan_chain.PLAN_PIECE_BYTES)
    assert "phase before the first" in _torn([first.model_copy(update={"levels": [-1] * 4}), *rest])
    assert "in phase 1000000000" in _torn([first.model_copy(update={"levels": [10**9] * 4}), *rest])


def test_options_not_each_steps_are_refused() -> None:
    first, second, *rest = cut(_schedule(), 4, plan_chain.PLAN_PIECE_BYTES)
    assert "options the schedule does not have" in _torn([first.model_copy(update={"profile_of": [99] * 4})])
    assert "where the pieces before" in _torn([first, second.model_copy(update={"profile_of": []}), *rest])
    assert "to each of its steps" in _torn([first.model_copy(update={"levels": [0]})])


async def test_a_run_read_a_piece_twice_ends_with_the_error(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    def replayed(schedule: PlanSchedule, steps: int, size: int) -> Iterator[SchedulePiece]:
        pieces = list(cut(schedule, steps, size))
        return iter([*pieces, pieces[0]])

    await _ends_recorded_with(client, task_queue, tmp_path, monkeypatch, replayed, "gives step 'w' again")


async def test_a_run_given_a_piece_that_is_no_piece_ends_recorded_with_the_error(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored piece that is no SchedulePiece at all failed pydantic's check in workflow code: a ValidationError,
    which fails the workflow task, again and again, and the run never ended."""

    def garbled(schedule: PlanSchedule, steps: int, size: int) -> Iterator[SchedulePiece]:
        pieces = list(cut(schedule, steps, size))
        return iter([SchedulePiece.model_construct(deps="none", levels="x"), *pieces[1:]])  # type: ignore[arg-type]

    await _ends_recorded_with(client, task_queue, tmp_path, monkeypatch, garbled, "levels")


async def _ends_recorded_with(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cutting: Callable[[PlanSchedule, int, int], Iterator[SchedulePiece]],
    said: str,
) -> None:
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", 4)
    monkeypatch.setattr(activities.tools, "cut", cutting)
    workflow_id = f"test-{uuid.uuid4()}"
    request = await by_reference(
        client, RunRequest(plan=parse_plan(_plan(14))), workflow_id, Settings(plan_piece_steps=4)
    )
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run,
            args=first_run_args(request),
            id=workflow_id,
            task_queue=task_queue,
            execution_timeout=timedelta(seconds=60),  # the old code's failing task: else the test never ended
        )
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
        record = await record_of(handle)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and said in cause.message, cause
    assert record.state == AgentState.ERROR and record.error is not None and said in record.error.message, record
