"""The `agent` and `trajectory` commands: streaming a run, exit codes, and the no-LLM instructions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestra.agent.models import ApprovalDecision
from orchestra.cli import agent_chain
from orchestra.cli.commands.agent import LLM_HELP, llm_setup_problem
from tests.agent.support import agent_worker, registry_with_deploy, start_agent, wait_for
from tests.cli.cli import clean_env, closed_port, run_client, run_here, use_env
from tests.llm_server import call, completion, done, scripted
from tests.ops.support import run_command
from workflows.agent import AgentWorkflow

ROOT = Path(__file__).resolve().parents[2]


def test_no_llm_configured_is_explained():
    assert llm_setup_problem({}) == LLM_HELP
    for text in ("ORCHESTRA_LLM_BASE_URL", "ORCHESTRA_LLM_MODEL", "ORCHESTRA_LLM_API_KEY", "api.openai.com",
                 "localhost:11434", "vLLM"):  # fmt: skip
        assert text in LLM_HELP
    assert llm_setup_problem({"ORCHESTRA_LLM_BASE_URL": "http://localhost:11434/v1"}) is None
    assert llm_setup_problem({"OPENAI_API_KEY": "sk-x"}) is None


def test_the_agent_command_without_an_llm_exits_nonzero_without_a_traceback():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRA_LLM_", "OPENAI_"))}
    done_ = subprocess.run([sys.executable, "client.py", "agent", "count the files"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done_.returncode == 2, done_.stderr
    assert "ORCHESTRA_LLM_BASE_URL" in done_.stderr and "Ollama" in done_.stderr
    assert "Traceback" not in done_.stderr + done_.stdout


LONG_TEXT = "long.txt"  # 300 KB of é: cut at the limit, its last character is cut in two


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("/dev/zero", "not a regular file (a character device)"),
        (LONG_TEXT, "longer than 262,144 bytes"),
        ("/proc/self/exe", "not UTF-8 text"),
    ],
)
async def test_a_system_prompt_file_too_long_or_not_text_is_a_usage_error(
    prompt: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """/dev/zero was read whole: the command grew until the machine ran out of memory (now: no regular file is read at
    all, as `--plan`'s files, so a named pipe nobody writes to does not block either). A long text is too
    long, not 'cannot read' because the limit cut its last character in two. /dev/zero as `client.py` (a
    command that grew would grow in its own process), the others in this process (the same code)."""
    if prompt == LONG_TEXT:
        prompt = str(tmp_path / LONG_TEXT)
        Path(prompt).write_text("é" * 150_000)
    args = ("agent", "count the files", "--system-prompt", prompt)
    with closed_port() as port:  # a command that went on to start a run exits 3 there, not 2
        env = clean_env(ORCHESTRA_LLM_BASE_URL="http://configured.invalid/v1", TEMPORAL_ADDRESS=f"127.0.0.1:{port}")
        use_env(monkeypatch, env)
        done_ = await (run_client(*args, env=env) if prompt == "/dev/zero" else run_here(*args, client=None))
    assert done_.code == 2, done_.err
    assert said in done_.err and "Traceback" not in done_.err + done_.out


async def agent_cli(client, task_queue, *argv: str):
    return await run_command(client, "--task-queue", task_queue, *argv)


async def test_the_agent_command_streams_steps_and_exits_0_on_verified_completion(
    client, task_queue, tmp_path, monkeypatch
):
    monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", "http://configured.invalid/v1")
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("You are terse.")
    answers = [completion("Sleeping briefly first.", [call("z", "sleep", seconds=0.2)]), done("slept")]
    with scripted(answers) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            ran = await agent_cli(client, task_queue, "agent", "sleep a bit", "--tools", "sleep", "--system-prompt",
                                  str(prompt))  # fmt: skip
    text = ran.out
    assert ran.code == 0, text + ran.err
    assert "step 1: Sleeping briefly first." in text and "→ sleep(" in text and "completed" in text
    assert "state COMPLETED" in text and "2 steps in 1 run" in text and "result: slept" in text
    assert seen[0]["body"]["messages"][0]["content"] == "You are terse."


async def test_the_agent_command_exits_1_when_the_step_limit_is_reached(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", "http://configured.invalid/v1")
    with scripted([completion("hmm")]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            ran = await agent_cli(client, task_queue, "agent", "never ends", "--tools", "sleep", "--max-steps", "2")
    assert ran.code == 1, ran.out + ran.err
    assert "state ERROR" in ran.out and "2 steps in 1 run" in ran.out and "step limit" in ran.out


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
            ran = await agent_cli(client, task_queue, "trajectory", handle.id, "--out", str(out_file))
            assert ran.code == 0, ran.err
            assert ran.out == "", ran.out
            # With --json a script reads what was written where (it printed nothing at all).
            as_json = await agent_cli(client, task_queue, "trajectory", handle.id, "--out", str(out_file), "--json")
            assert as_json.code == 0, as_json.err
            assert json.loads(as_json.out) == {"wrote": str(out_file), "steps": 1}
            await handle.execute_update(AgentWorkflow.approve, ApprovalDecision())
            await handle.result()
    exported = json.loads(out_file.read_text())
    assert exported["state"] == "running" and [s["number"] for s in exported["steps"]] == [1]
    deploy = exported["steps"][0]["tool_calls"][0]
    assert deploy["call_id"] == "d1" and deploy["approval"]["status"] == "waiting" and deploy["state"] == "pending"
    assert exported["steps"][0]["usage"]["total_tokens"] == 15
    assert "wrote 1 step (1 run)" in ran.err
