"""`pause`, `resume` (and `approve`/`reject`, the same update path) on a run whose workflow task keeps failing:
the server takes no update then, and the CLI says why and the way out, as `cancel` does."""

from __future__ import annotations

from tests.control_support import describe_raw, until
from tests.helpers import settings_for, start_plan
from tests.ops.support import run_command
from tests.stored_plans import failing_disk, large_plan, stored_files
from worker import create_worker


async def test_pause_and_resume_of_a_run_whose_task_keeps_failing_say_why_and_the_way_out(
    client, storage_settings, task_queue, tmp_path, monkeypatch
):
    handle = await start_plan(client, task_queue, large_plan())
    failing_disk(monkeypatch, stored_files(storage_settings, handle.id))  # its stored input unreadable for now
    cli = ("--task-queue", task_queue)
    async with create_worker(client, settings_for(task_queue, tmp_path)):
        await until(lambda: describe_raw(client, handle.id), lambda d: d.pending_workflow_task.attempt > 2)
        answers = [await run_command(client, *cli, verb, handle.id) for verb in ("pause", "resume")]
        await run_command(client, *cli, "cancel", handle.id, "--terminate")
    for verb, answer in zip(("pause", "resume"), answers, strict=True):
        assert answer.code == 1, (verb, answer.err)
        assert f"cannot {verb} {handle.id}: the run takes no {verb} now" in answer.err, answer.err
        assert "keeps failing" in answer.err and "Input/output error" in answer.err and "--terminate" in answer.err
        assert "Workflow Task in failed state" not in answer.err
