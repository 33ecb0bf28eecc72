"""Ids in the CLI's messages: a long one is cut where a message names it (400 characters of it filled each
error and hid why), and a command a message suggests quotes it for the shell it is pasted into (an agent's
call id is what the model named it: 'd1; touch …' split the suggested `approve` in two commands)."""

from __future__ import annotations

import asyncio
import shlex
import sys

from orchestra.agent.models import AgentRequest
from orchestra.settings import PROJECT_ROOT
from tests.agent.support import agent_worker, registry_with_deploy
from tests.cli.cli import CLIENT, TIMEOUT_S, Cli, until, write_plan
from tests.cli.gated_runs import start
from tests.cli.test_pause_while_ending import undone_on_failure
from tests.control_support import gate_server
from tests.helpers import worker_for
from tests.llm_server import call, completion, done, scripted

LONG = "run-" + "x" * 380 + "-end-of-it"
NODE = "step_" + "x" * 381 + "_end_of_it"  # a node id is a name: letters, digits and '_'
QUICK = {"name": "quick", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}


def said_short(text: str) -> bool:
    return LONG not in text and "run-xxxx" in text and "end-of-it (394 characters)" in text


async def test_an_id_nobody_knows_is_named_cut(cli: Cli):
    for argv in (
        ["status", LONG],
        ["cancel", LONG],
        ["pause", LONG],
        ["history", LONG],
        ["schedule", "describe", LONG],
    ):
        refused = await cli.here(*argv)
        assert refused.code == 4 and said_short(refused.err), (argv, refused.err)


async def test_a_long_run_id_is_named_cut_in_what_control_says(client, task_queue, tmp_path, cli: Cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, QUICK, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
        again = await cli.here("start", "--plan", write_plan(tmp_path, QUICK), "--id", LONG)
        assert again.code == 0, again.err
        assert (await cli.here("result", LONG)).code == 0
    no_step = await cli.here("result", LONG, "--output", LONG)
    assert no_step.code == 2 and said_short(no_step.err), no_step.err
    for argv in (["pause", LONG], ["resume", LONG], ["cancel", LONG], ["approve", LONG]):
        refused = await cli.here(*argv)
        assert refused.code != 0 and said_short(refused.err), (argv, refused.err)


SHELL_ID = "agent-x $(touch pwned)"
CALL_ID = "d1; touch pwned"


async def test_a_suggested_command_is_one_command_whatever_its_ids(client, task_queue, tmp_path, cli: Cli):
    answers = [completion("deploying", [call(CALL_ID, "deploy", target="prod")]), done("deployed")]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            await client.start_workflow(
                "AgentWorkflow", AgentRequest(task="deploy", tools=["deploy"]), id=SHELL_ID, task_queue=task_queue
            )
            shown = await until(cli, ("status", SHELL_ID), lambda r: "waiting for approval" in r.out, here=True)
            followed = await _watched_until_asked(cli)
            no_such_call = await cli.here("approve", SHELL_ID, "--call", LONG)
            await cli.here("cancel", SHELL_ID, "--terminate")
    assert no_such_call.code == 1 and "is waiting for approval" in no_such_call.err, no_such_call.err
    assert said_short(no_such_call.err), "the run's refusal names the call the user gave cut too"
    for text in (shown.out, followed):
        suggested = next(line for line in text.splitlines() if "client.py approve" in line)
        command = suggested[suggested.index("python client.py") :].split("`")[0].split("(or reject)")[0]
        assert shlex.split(command) == ["python", "client.py", "approve", SHELL_ID, "--call", CALL_ID], suggested


async def _watched_until_asked(cli: Cli) -> str:
    """What `watch`, a real process, printed up to its line asking for the approval."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENT), "watch", SHELL_ID, cwd=PROJECT_ROOT, env=cli.env, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    lines = []
    try:
        async with asyncio.timeout(TIMEOUT_S):
            while line := (await process.stdout.readline()).decode():
                lines.append(line)
                if "client.py approve" in line:
                    break
    finally:
        process.kill()
        await process.wait()
    return "".join(lines)


async def test_the_web_ui_link_of_a_run_is_its_page_whatever_its_id(tmp_path, cli: Cli):
    """An id with '/', '?', '#' or a space cut the printed link short or sent it to another page."""
    odd = "plan a/b?c=1#d"
    started = await cli.here("start", "--plan", write_plan(tmp_path, QUICK), "--id", odd)
    assert started.code == 0, started.err
    assert "/namespaces/default/workflows/plan%20a%2Fb%3Fc%3D1%23d" in started.err, started.err
    await cli.here("cancel", odd, "--terminate")


async def test_the_undo_a_cancel_reaches_is_named_cut(client, task_queue, tmp_path, cli: Cli):
    with gate_server(300) as gate:
        plan = undone_on_failure(gate.url)
        plan["nodes"][0]["id"] = NODE
        plan["nodes"][1]["depends_on"] = [NODE]
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            workflow_id = await start(cli, tmp_path, plan, here=True)
            await gate.wait_reached()  # the long-named step's undo is running
            cancelled = await cli.here("cancel", workflow_id)
            gate.open.set()
            await cli.here("result", workflow_id)
    assert cancelled.code == 0 and "reaches the undo of step_xxxx" in cancelled.out, cancelled.out
    assert NODE not in cancelled.out and "_end_of_it (396 characters)" in cancelled.out, cancelled.out
