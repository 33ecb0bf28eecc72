"""The `agent` and `trajectory` commands: streaming a run, exit codes, and the no-LLM instructions."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from orchestra.agent.models import ApprovalDecision
from orchestra.cli import agent_chain
from orchestra.cli.commands_agent import LLM_HELP, cmd_agent, cmd_trajectory, llm_setup_problem
from orchestra.cli.context import Context
from orchestra.settings import Settings
from tests.agent.support import agent_worker, start_agent, wait_for
from tests.agent.test_control import registry_with_deploy
from tests.llm_server import call, completion, done, scripted
from workflows.agent import AgentWorkflow

ROOT = Path(__file__).resolve().parents[2]

# The command as client.py runs it: app.main's parser and error handling, with `agent` registered.
AS_CLIENT = """
import argparse, sys
from orchestra.cli import app, commands_agent
build = app.build_parser
def with_agent():
    parser = build()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "agent" not in sub.choices:
        commands_agent.register(sub, parents=[])
    return parser
app.build_parser = with_agent
sys.exit(app.main(sys.argv[1:]))
"""


def test_no_llm_configured_is_explained():
    assert llm_setup_problem({}) == LLM_HELP
    for text in ("ORCHESTRA_LLM_BASE_URL", "ORCHESTRA_LLM_MODEL", "ORCHESTRA_LLM_API_KEY", "api.openai.com",
                 "localhost:11434", "vLLM"):  # fmt: skip
        assert text in LLM_HELP
    assert llm_setup_problem({"ORCHESTRA_LLM_BASE_URL": "http://localhost:11434/v1"}) is None
    assert llm_setup_problem({"OPENAI_API_KEY": "sk-x"}) is None


def test_the_agent_command_without_an_llm_exits_nonzero_without_a_traceback():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRA_LLM_", "OPENAI_"))}
    done_ = subprocess.run([sys.executable, "-c", AS_CLIENT, "agent", "count the files"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done_.returncode == 2, done_.stderr
    assert "ORCHESTRA_LLM_BASE_URL" in done_.stderr and "Ollama" in done_.stderr
    assert "Traceback" not in done_.stderr + done_.stdout


def _ctx(client, task_queue, tmp_path, task: str, **extra) -> tuple[Context, io.StringIO]:
    values = {"task": task, "strategy": "smart", "max_steps": 5, "max_parallel": 5, "batch_size": 3, "tools": "sleep",
              "system_prompt": None, "stop_on_error": False, "id": None, "json": False, **extra}  # fmt: skip
    out = io.StringIO()
    settings = Settings(task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path)
    return Context(
        args=argparse.Namespace(**values), settings=settings, out=out, err=io.StringIO(), _client=client
    ), out


async def test_the_agent_command_streams_steps_and_exits_0_on_verified_completion(
    client, task_queue, tmp_path, monkeypatch
):
    monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", "http://configured.invalid/v1")
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("You are terse.")
    answers = [completion("Sleeping briefly first.", [call("z", "sleep", seconds=0.2)]), done("slept")]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            ctx, out = _ctx(client, task_queue, tmp_path, "sleep a bit", system_prompt=str(prompt))
            code = await cmd_agent(ctx)
    text = out.getvalue()
    assert code == 0, text
    assert "step 1: Sleeping briefly first." in text and "→ sleep(" in text and "completed" in text
    assert "COMPLETED after 2 steps" in text and "result: slept" in text
    assert seen[0]["body"]["messages"][0]["content"] == "You are terse."


async def test_the_agent_command_exits_1_when_the_step_limit_is_reached(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", "http://configured.invalid/v1")
    with scripted([completion("hmm")]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            ctx, out = _ctx(client, task_queue, tmp_path, "never ends", max_steps=2)
            code = await cmd_agent(ctx)
    assert code == 1 and "ERROR after 2 steps" in out.getvalue() and "step limit" in out.getvalue()


async def test_the_trajectory_of_a_run_still_going_shows_where_it_is(client, task_queue, tmp_path, monkeypatch):
    async def no_query(*_: object) -> None:
        raise AssertionError("the record is rebuilt from the history, not queried")

    monkeypatch.setattr(agent_chain, "_queried", no_query)
    answers = [completion("deploying", [call("d1", "deploy", target="prod")]), done("deployed")]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_deploy()):
            handle = await start_agent(client, task_queue, tools=["deploy"])
            await wait_for(handle, lambda r: bool(r.waiting_approvals()))
            out_file = tmp_path / "trajectory.json"
            args = argparse.Namespace(workflow_id=handle.id, out=str(out_file))
            settings = Settings(task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path)
            err = io.StringIO()
            ctx = Context(args=args, settings=settings, out=io.StringIO(), err=err, _client=client)
            assert await cmd_trajectory(ctx) == 0
            await handle.execute_update(AgentWorkflow.approve, ApprovalDecision())
            await handle.result()
    exported = json.loads(out_file.read_text())
    assert exported["state"] == "running" and [s["number"] for s in exported["steps"]] == [1]
    deploy = exported["steps"][0]["tool_calls"][0]
    assert deploy["call_id"] == "d1" and deploy["approval"]["status"] == "waiting" and deploy["state"] == "pending"
    assert exported["steps"][0]["usage"]["total_tokens"] == 15
    assert "wrote 1 steps (1 run(s))" in err.getvalue()
