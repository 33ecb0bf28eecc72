"""Agent runs in every command — `agent`, `status`, `result`, `watch`, `history`, `list`, `stats`,
`approve`, `reject`, `trajectory` — through a real `client.py` process, with a worker whose model is a
scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import asyncio
import json
import uuid

from orchestra.agent.models import AgentExecution, AgentRequest, ApprovalStatus
from orchestra.record import AgentState
from tests.agent.support import agent_worker, registry_with_deploy
from tests.cli.cli import Result, closed_port, run_client, run_here, until, use_env, write_plan
from tests.helpers import worker_for
from tests.llm_server import call, completion, done, scripted

DEPLOY = [completion("deploying", [call("d1", "deploy", target="prod")]), done("deployed")]


def agent_env(cli_env: dict[str, str], base_url: str) -> dict[str, str]:
    return {**cli_env, "ORCHESTRA_LLM_BASE_URL": base_url}


async def test_an_agent_run_is_first_class_in_every_command(client, task_queue, tmp_path, cli, cli_env):
    """One real `client.py` call per command family that only this test runs so (agent, approve, stats) for
    the wiring; the other forms of each, and status, result, watch, history and list (run as `client.py` on
    plan runs in test_output.py and test_run.py), in this process, through the same code."""
    agent_id = f"agent-cli-{uuid.uuid4().hex[:8]}"
    with scripted(DEPLOY) as (base, _):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            running = asyncio.create_task(
                run_client(
                    "agent", "deploy to prod", "--tools", "deploy", "--id", agent_id, env=agent_env(cli_env, base)
                )
            )
            status = await until(cli, ("status", agent_id), lambda r: "waiting for approval" in r.out, here=True)
            assert status.code == 0, status.err
            assert f"agent run {agent_id}" in status.out and "d1: deploy(" in status.out
            assert f"python client.py approve {agent_id} --call d1" in status.out
            assert "worker polling" not in status.out + status.err
            as_json = await cli.here("status", agent_id, "--json")
            assert as_json.code == 0 and as_json.json["kind"] == "agent"
            assert AgentExecution.model_validate(as_json.json["record"]).waiting_approvals()[0].call_id == "d1"

            refused = await cli.here("reject", agent_id, "--call", "nope")
            assert refused.code == 1 and "cannot reject" in refused.err and "nope" in refused.err
            approved = await cli("approve", agent_id, "--call", "d1", "--reason", "ship it")
            assert approved.code == 0, approved.err
            assert f"approved d1 in {agent_id}" in approved.out
            ended: Result = await asyncio.wait_for(running, 120)
    assert ended.code == 0, ended.out + ended.err
    assert "⏸ waiting for approval: deploy(" in ended.out and "state COMPLETED" in ended.out
    assert "result: deployed" in ended.out

    result = await cli.here("result", agent_id)
    assert result.code == 0 and "result: deployed" in result.out and "Traceback" not in result.err
    record = AgentExecution.model_validate_json((await cli.here("result", agent_id, "--json")).out)
    assert record.state == AgentState.COMPLETED and record.success
    assert record.steps[0].tool_calls[0].approval is not None
    assert record.steps[0].tool_calls[0].approval.status == ApprovalStatus.APPROVED
    watched = await cli.here("watch", agent_id)
    assert watched.code == 0 and "state COMPLETED" in watched.out
    history = await cli.here("history", agent_id)
    assert history.code == 0 and "agent run" in history.out and "step-1.llm" in history.out
    rows = (await cli.here("history", agent_id, "--json")).json
    assert [r["node_id"] for r in rows if r["node_id"].startswith("step-1.")] == ["step-1.llm", "step-1.d1"]

    where = f"WorkflowId='{agent_id}'"
    listed = await until(cli, ("list", "--kind", "agent", "--query", where, "--json"),
                         lambda r: r.code == 0 and r.json and r.json[0]["status"] == "COMPLETED", here=True)  # fmt: skip
    assert listed.json[0]["kind"] == "agent"
    everything = await cli.here("list", "--query", where)
    assert everything.code == 0 and agent_id in everything.out and "agent" in everything.out
    stats = await until(cli, ("stats", "--query", where, "--json"), lambda r: r.json["agent"]["total"] == 1)
    assert stats.json["agent"]["succeeded"] == 1 and stats.json["plan"]["total"] == 0

    late = await cli.here("approve", agent_id)
    assert late.code == 1 and "already ended" in late.err


async def test_agent_flags_reach_the_run(client, task_queue, tmp_path, cli, monkeypatch):
    """In this process (the same parsing): `agent` runs as `client.py` in the first test."""
    agent_id = f"agent-flags-{uuid.uuid4().hex[:8]}"
    with scripted(DEPLOY) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", base)
            ended = await cli.here(
                "agent", "deploy to prod", "--tools", "deploy", "--id", agent_id, "--approval-timeout", "1s",
                "--approval-default", "approve", "--model-timeout", "45s", "--context-tokens", "4096",
                "--max-output-tokens", "256", "--json",
            )  # fmt: skip
    assert ended.code == 0, ended.err
    record = AgentExecution.model_validate_json(ended.out)
    approval = record.steps[0].tool_calls[0].approval
    assert approval is not None and approval.status == ApprovalStatus.TIMED_OUT_APPROVED, "nobody decided in 1 s"
    assert seen[0]["body"]["max_tokens"] == 256
    history = await client.get_workflow_handle(agent_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    request = client.data_converter.payload_converter.from_payloads(list(started.input.payloads), [AgentRequest])[0]
    limits = request.limits
    assert (limits.llm_timeout_s, limits.context_tokens, limits.approval_timeout_s) == (45, 4096, 1)


async def test_bad_agent_options_are_refused_before_anything_starts(cli_env, monkeypatch):
    """The first as `client.py`, the others in this process, on a server address where nothing answers: a
    run that would have started exits 3 there instead of 2."""
    env = agent_env(cli_env, "http://127.0.0.1:9/v1")
    with closed_port() as port:
        use_env(monkeypatch, {**env, "TEMPORAL_ADDRESS": f"127.0.0.1:{port}"})
        for argv in (["--approval-timeout", "soon"], ["--context-tokens", "10"], ["--approval-default", "maybe"]):
            first = argv[0] == "--approval-timeout"
            refused = await (
                run_client("agent", "x", *argv, env=env) if first else run_here("agent", "x", *argv, client=None)
            )
            assert refused.code == 2, (argv, refused.err)
            assert "Traceback" not in refused.err


async def test_a_bad_agent_option_is_said_by_its_flag_and_as_typed(cli_env):
    """pydantic's field names were printed (``llm_timeout_s: ...``, ``max_steps: ...``): not what the user
    typed, nor the value typed (``0s`` was 0.0)."""
    env = agent_env(cli_env, "http://127.0.0.1:9/v1")
    refused = await run_client("agent", "x", "--max-steps", "0", "--model-timeout", "0s", "--context-tokens", "10",
                               "--max-output-tokens", "0", env=env)  # fmt: skip
    assert refused.code == 2, refused.err
    for said in ("--max-steps 0:", "--model-timeout 0s:", "--context-tokens 10:", "--max-output-tokens 0:"):
        assert said in refused.err, refused.err
    assert "llm_timeout_s" not in refused.err and "max_steps" not in refused.err, refused.err


async def test_a_tools_option_naming_no_tool_is_refused_not_read_as_every_tool(cli_env, monkeypatch):
    """``--tools ""`` (a script's empty variable) gave the agent every tool, ``--tools ,`` none at all; the
    server here is unreachable, so a run that would have started exits 3 instead of 2."""
    with closed_port() as port:
        env = {**agent_env(cli_env, "http://127.0.0.1:9/v1"), "TEMPORAL_ADDRESS": f"127.0.0.1:{port}"}
        use_env(monkeypatch, env)
        for tools in ("", " , ", ","):  # the first as `client.py`, the others in this process
            args = ("agent", "x", "--tools", tools)
            refused = await (run_client(*args, env=env) if tools == "" else run_here(*args, client=None))
            assert refused.code == 2, (tools, refused.err)
            assert "names no tool" in refused.err and "Traceback" not in refused.err


async def test_an_unknown_tool_for_the_agent_is_a_clear_refusal_with_the_nearest_known_one(
    client, task_queue, tmp_path, cli, monkeypatch
):
    """The worker's registry decides which tools there are (its own may hold more than the client's): a
    name it does not know ended the run as any failure, exit 1, among the rest of the record. In this
    process: `agent` runs as `client.py` in the first test."""
    with scripted([done("never asked")]) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", base)
            refused = await cli.here("agent", "x", "--tools", "deploy,deplyo")
    assert refused.code == 2, (refused.out, refused.err)
    said = refused.out + refused.err
    assert "unknown tool 'deplyo' (did you mean 'deploy'?)" in said and "known tools:" in said, said
    assert "Traceback" not in said and not seen, "no model call was made"


async def test_a_natively_paused_agent_run_is_read_from_its_history(client, task_queue, tmp_path, cli):
    """In this process: these commands run as `client.py` in the first test here, test_control.py and test_native_pause.py."""
    agent_id = f"agent-paused-{uuid.uuid4().hex[:8]}"
    with scripted(DEPLOY) as (base, _):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            await client.start_workflow(
                "AgentWorkflow", AgentRequest(task="deploy", tools=["deploy"]), id=agent_id, task_queue=task_queue
            )
            await until(cli, ("status", agent_id), lambda r: "waiting for approval" in r.out, here=True)
            paused = await cli.here("pause", agent_id, "--native", "--reason", "hold on")
            assert paused.code == 0, paused.err
            status = await cli.here("status", agent_id)
            assert status.code == 0, status.err
            assert "natively paused (hold on)" in status.out and "rebuilt from the event history" in status.out
            assert "d1: deploy(" in status.out, "the waiting call is read back by replaying the history"
            refused = await cli.here("approve", agent_id, "--call", "d1")
            assert refused.code == 1 and "natively paused" in refused.err and f"resume {agent_id}" in refused.err
            resumed = await cli.here("resume", agent_id)
            assert resumed.code == 0 and "unpaused" in resumed.out, resumed.err
            approved = await cli.here("approve", agent_id, "--call", "d1")
            assert approved.code == 0, approved.err
            result = await cli.here("result", agent_id)
    assert result.code == 0 and "state COMPLETED" in result.out


async def test_commands_for_agent_runs_refuse_other_runs_clearly(client, task_queue, tmp_path, cli):
    plan = {"name": "one", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ran = await cli("run", "--plan", write_plan(tmp_path, plan), "--json")
    plan_id = json.loads(ran.out)["id"]
    refused = await cli("trajectory", plan_id)
    assert refused.code == 2 and f"{plan_id} is a plan run, not an agent run" in refused.err
    refused = await cli("approve", plan_id)
    assert refused.code == 2 and "only agent runs wait for approvals" in refused.err
