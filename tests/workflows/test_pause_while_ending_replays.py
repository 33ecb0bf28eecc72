"""The pause signal a run ignores once its body is over (workflows/control.py, ENDING_PAUSE_PATCH) replays:
a run recorded by the code before, which took a pause signal while its undos ran (and showed PAUSED), and
one recorded now, which ignored it, both replay with today's code. Recorded with
tests/cli/test_pause_while_ending.py's plan: a step undone through a gate held while the signal came."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from orchestra.converter import compose
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow

HERE = Path(__file__).parent


@pytest.mark.parametrize("recorded", ["pause_while_undoing_before", "pause_while_undoing_now"])
async def test_a_pause_signal_during_the_undos_replays(recorded: str, storage_settings) -> None:
    history = WorkflowHistory.from_json(recorded, (HERE / f"{recorded}.json").read_text())
    replayer = Replayer(
        workflows=[OrchestrationWorkflow],
        data_converter=compose(None, storage_settings),
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)
