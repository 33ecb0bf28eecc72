"""Histories that ask this session's patches replay. The pause signal a run ignores once its body is over
(workflows/control.py, ENDING_PAUSE_PATCH):
a run recorded by the code before, which took a pause signal while its undos ran (and showed PAUSED), and
one recorded now, which ignored it, both replay with today's code. Recorded with
tests/cli/test_pause_while_ending.py's plan: a step undone through a gate held while the signal came.
A call whose arguments fit in characters and not in bytes (workflows/value_sizes.py, VALUE_BYTES_PATCH),
recorded now with storage off: 40 references to 60 KB of '€' (2.4 MB sent), its step failed naming the limit.
The pause signal a run ignores once it is being cancelled (CANCELLING_PAUSE_PATCH): before (the run showed
PAUSED while cancelling) and now, recorded by tests/cli/test_pause_while_cancelling.py (RECORD_HISTORY=path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory

from orchestra.converter import compose
from orchestra.replayers import replayer_without_deadline
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow

HERE = Path(__file__).parent


@pytest.mark.parametrize(
    "recorded",
    [
        "pause_while_undoing_before",
        "pause_while_undoing_now",
        "call_over_in_bytes_now",
        "pause_while_cancelling_before",
        "pause_while_cancelling_now",
    ],
)
async def test_a_history_asking_this_sessions_patches_replays(recorded: str, storage_settings) -> None:
    history = WorkflowHistory.from_json(recorded, (HERE / f"{recorded}.json").read_text())
    replayer = replayer_without_deadline(
        workflows=[OrchestrationWorkflow],
        data_converter=compose(None, storage_settings),
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)
