"""`run`, `validate`, `tools` and connection errors, through a real `client.py` process (the other forms of
a kind of error, in this process: the same code from the command line to the exit code)."""

from __future__ import annotations

import re
import uuid

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.cli.cli import clean_env, closed_port, run_client, run_here, use_env, write_plan
from tests.helpers import worker_for

CHAIN = {
    "name": "chain",
    "nodes": [
        {"id": "write", "tool": "write_file", "args": {"path": "in.txt", "content": "hello"}},
        {"id": "read", "tool": "read_file", "args": {"path": "${write.output.path}"}},
        {"id": "shout", "tool": "render_template",
         "args": {"template": "{{ text }}, {{ who }}!", "values": {"text": "${read.output.content}", "who": "${inputs.who}"}}},
    ],
    "inputs": {"who": "nobody"},
}  # fmt: skip
FAILING = {
    "name": "failing",
    "nodes": [
        {"id": "ok", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "missing", "tool": "read_file", "args": {"path": "not-there.txt"}, "depends_on": ["ok"]},
    ],
}
INVALID = {
    "name": "invalid",
    "nodes": [
        {"id": "a", "tool": "teleport"},
        {"id": "b", "tool": "read_file", "args": {"path": "${ghost.output.path}"}},
    ],
}


async def test_run_shows_progress_and_the_step_table(client, task_queue, tmp_path, cli):
    plan = write_plan(tmp_path, CHAIN)
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        result = await cli("run", "--plan", plan, "--input", "who=world")
    assert result.code == 0, result.err
    progress, done, table = result.out.partition("✔ run COMPLETED")
    assert done, result.out
    assert re.search(r"^  ✔ write\b", progress, re.MULTILINE), "each step's last line comes before the run's"
    for header in ("step", "tool", "state", "attempts", "duration", "output / error"):
        assert header in table
    assert "shout" in table and "render_template" in table and "hello, world!" in table
    assert (tmp_path / "workspace" / "in.txt").read_text() == "hello"


async def test_run_json_prints_only_the_record(client, task_queue, tmp_path, cli):
    plan = write_plan(tmp_path, CHAIN)
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        result = await cli("run", "--plan", plan, "--json", "--id", f"cli-json-{uuid.uuid4()}")
    assert result.code == 0, result.err
    record = ExecutionRecord.model_validate_json(result.out)
    assert record.state == AgentState.COMPLETED and record.success
    assert record.step("shout").output == {"text": "hello, nobody!"}
    assert "started" in result.err, "progress goes to stderr"


async def test_failing_plan_exits_1_and_result_reads_the_record(client, task_queue, tmp_path, cli):
    plan = write_plan(tmp_path, FAILING)
    workflow_id = f"cli-fail-{uuid.uuid4()}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        result = await cli("run", "--plan", plan, "--id", workflow_id)
        assert result.code == 1, result.err
        assert "✖ missing validation:" in result.out and "✖ run ERROR" in result.out
        again = await cli.here("result", workflow_id, "--json")  # as client.py: the test below
    assert again.code == 1
    record = ExecutionRecord.model_validate_json(again.out)
    assert record.state == AgentState.ERROR
    assert record.step("ok").state == StepState.COMPLETED and record.step("missing").state == StepState.ERROR


async def test_a_steps_output_asked_by_a_name_the_run_lacks_exits_2_with_the_nearest(client, task_queue, tmp_path, cli):
    """``result --output`` of a mistyped step exited 1, as a step without output does, naming no step."""
    workflow_id = f"cli-step-{uuid.uuid4()}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        assert (await cli.here("run", "--plan", write_plan(tmp_path, CHAIN), "--id", workflow_id)).code == 0
    found = await cli.here("result", workflow_id, "--output", "shout")
    assert found.code == 0 and "hello, nobody!" in found.out, found.err
    unknown = await cli("result", workflow_id, "--output", "shuot")
    assert unknown.code == 2 and "has no step 'shuot' (did you mean 'shout'?)" in unknown.err, unknown.err


async def test_a_bad_preference_is_said_by_its_flag_and_inf_is_refused():
    """pydantic's report was printed as it came (field names, a link to its docs), and ``--performance
    inf`` was taken: weights of inf/inf, no number, scored every tool."""
    env = clean_env()
    bad = await run_client("plan", "fetch https://example.com", "--performance", "inf", "--time-budget", "-1", env=env)
    assert bad.code == 2 and "--performance inf: Input should be a finite number" in bad.err, bad.err
    assert "--time-budget -1.0: Input should be greater than 0" in bad.err and "pydantic" not in bad.err, bad.err


async def test_invalid_plan_exits_2_naming_each_node_and_starts_nothing(tmp_path, cli):
    plan = write_plan(tmp_path, INVALID)
    workflow_id = f"cli-invalid-{uuid.uuid4()}"
    result = await cli("run", "--plan", plan, "--id", workflow_id)
    assert result.code == 2
    assert "node 'a': unknown tool 'teleport'" in result.err
    assert "node 'b': references unknown node 'ghost'" in result.err
    assert "Traceback" not in result.err
    # By id (describe reads the server's own state, not the lagging visibility store): no run under
    # the id the CLI was told to use.
    status = await cli.here("status", workflow_id)  # the others in this process: the same code to the exit code
    assert status.code == 4 and "no workflow with id" in status.err
    validate = await cli.here("validate", "--plan", plan)
    assert validate.code == 2 and "teleport" in validate.err


async def test_validate_shows_phases(tmp_path, cli):
    result = await cli("validate", "--plan", write_plan(tmp_path, CHAIN))
    assert result.code == 0, result.err
    assert "3 steps in 3 phases" in result.out and "phase 2: shout (render_template)" in result.out


async def test_tools_json_lists_the_builtins(cli):
    result = await cli("tools", "--json")
    assert result.code == 0, result.err
    specs = {spec["name"]: spec for spec in result.json}
    builtins = {"http_request", "shell", "read_file", "write_file", "list_files", "json_query", "extract_text",
                "render_template", "sleep"}  # fmt: skip
    assert builtins <= set(specs)
    assert "properties" in specs["sleep"]["input_schema"]
    table = await cli.here("tools")
    assert table.code == 0 and "http_request" in table.out


async def test_unreachable_server_exits_3_with_a_hint(tmp_path, monkeypatch):
    """The first command as `client.py` (the exit code the process hands back), the others in this process."""
    with closed_port() as port:
        address = f"127.0.0.1:{port}"
        env = clean_env(TEMPORAL_ADDRESS=address, ORCHESTRA_WORKSPACE=str(tmp_path))
        use_env(monkeypatch, env)
        for args in (["status", "some-id"], ["run", "--plan", write_plan(tmp_path, CHAIN)], ["list"]):
            result = await (run_client(*args, env=env) if args[0] == "status" else run_here(*args, client=None))
            assert result.code == 3, (args, result.err)
            assert f"cannot reach Temporal at {address}" in result.err and "python client.py up" in result.err
            assert "Traceback" not in result.err


async def test_an_unusable_codec_setting_is_a_clear_error_not_a_traceback(tmp_path, monkeypatch):
    """The first as `client.py`, the second in this process (read from its environment alike)."""
    with closed_port() as port:
        base = {"TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "ORCHESTRA_WORKSPACE": str(tmp_path)}
        for setting, said in (
            ({"ORCHESTRA_CODEC_KEY": "not base64!"}, "ORCHESTRA_CODEC_KEY is not valid base64"),
            ({"ORCHESTRA_CODEC_REQUIRE_ENCRYPTED": "1"}, "ORCHESTRA_CODEC_KEY is not"),
        ):
            env = clean_env(**base, **setting)
            use_env(monkeypatch, env)
            as_client = "ORCHESTRA_CODEC_KEY" in setting
            result = await (
                run_client("status", "some-id", env=env) if as_client else run_here("status", "some-id", client=None)
            )
            assert result.code == 2, (setting, result.err)
            assert said in result.err and "Traceback" not in result.err, result.err


async def test_global_flags_work_before_or_after_the_command(tmp_path, monkeypatch):
    """Before the command as `client.py`, after it in this process (the same parsing)."""
    with closed_port() as port, closed_port() as env_port:
        address = f"127.0.0.1:{port}"
        env = clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{env_port}", ORCHESTRA_WORKSPACE=str(tmp_path))
        use_env(monkeypatch, env)
        for args in (["--address", address, "status", "x"], ["status", "x", "--address", address]):
            result = await (run_client(*args, env=env) if args[0] == "--address" else run_here(*args, client=None))
            assert result.code == 3 and f"cannot reach Temporal at {address}" in result.err, (args, result.err)


async def test_a_date_in_a_plan_reaches_the_tool_as_it_was_written(client, task_queue, tmp_path, cli):
    """YAML 1.1 read ``2024-01-01 10:00:00`` as a datetime, which the tool received re-written as
    ``2024-01-01T10:00:00``; ``12:30`` reached it as 750. Plans are read by YAML 1.2's core schema."""
    plan = tmp_path / "dates.yaml"
    plan.write_text(
        "name: dates\nnodes:\n  - id: q\n    tool: json_query\n"
        "    args: {expression: '@', data: {at: 2024-01-01 10:00:00, day: 2024-01-01, time: 12:30, ok: no}}\n"
    )
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        result = await cli.here("run", "--plan", str(plan), "--json", "--id", f"dates-{uuid.uuid4()}")
    assert result.code == 0, result.err
    record = ExecutionRecord.model_validate_json(result.out)
    expected = {"at": "2024-01-01 10:00:00", "day": "2024-01-01", "time": "12:30", "ok": "no"}
    assert record.step("q").output == {"result": expected}


async def test_a_plan_the_worker_refuses_before_any_step_exits_2_not_as_a_failed_run(client, task_queue, tmp_path, cli):
    """The worker's registry decides (its own may differ from the client's): a tool it does not know
    refused the plan before anything ran, and `run` said exit 1, as for a run whose steps failed."""
    from orchestra.registry import ToolRegistry
    from orchestra.tools.builtin import builtin_tools

    plan = write_plan(tmp_path, FAILING)
    without_sleep = ToolRegistry(t for t in builtin_tools() if t.name != "sleep")
    async with worker_for(client, task_queue, tmp_path / "workspace", without_sleep):
        result = await cli.here("run", "--plan", plan)  # run's exit 2 as client.py: test_invalid_plan_exits_2...
    assert result.code == 2, (result.out, result.err)
    assert "unknown tool 'sleep'" in result.out + result.err and "Traceback" not in result.err
