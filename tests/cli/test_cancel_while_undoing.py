"""`cancel` while a failed run undoes its completed steps: no step is running, an undo is, and the
cancellation reaches it. It said "running steps are cancelled, finished results are kept"; now it says
which undo the cancellation reaches and where to see how each ended."""

from __future__ import annotations

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.cli.test_pause_while_ending import undone_on_failure
from tests.control_support import gate_server
from tests.helpers import worker_for


async def test_a_cancel_during_the_undos_says_it_reaches_an_undo(client, task_queue, tmp_path, cli: Cli):
    with gate_server(300) as gate:
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            workflow_id = await start(cli, tmp_path, undone_on_failure(gate.url), here=True)
            await gate.wait_reached()  # `done`'s undo is running
            cancelled = await cli.here("cancel", workflow_id)
            gate.open.set()
            result = await cli.here("result", workflow_id)
    assert cancelled.code == 0, cancelled.err
    assert "the run failed and is undoing its completed steps" in cancelled.out
    assert "reaches the undo of done, which may be left half done" in cancelled.out
    assert "running steps are cancelled" not in cancelled.out
    assert result.code == 1 and "undo done (http_request)" in result.out
