"""What the CLI prints and how it ends: `--json` on every command that reads, stdout carrying only the
command's output, Ctrl-C, fast help, and the wording a careful reader notices."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import pty
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from orchestra.cli import render
from orchestra.record import AgentState, ExecutionRecord, RunMetrics
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import CLIENT, TIMEOUT_S, WITH_CTRL_C, run_client, until, use_env, write_plan
from tests.cli.gated_runs import LONG
from tests.helpers import worker_for

ONE = {"name": "one", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}
# `slow` runs as a local activity (recorded only when it ends), `quick` and `after` as activities.
ORDER = {
    "name": "order",
    "nodes": [
        {"id": "slow", "tool": "sleep", "args": {"seconds": 1}, "local": True, "timeout_s": 30},
        {"id": "quick", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["quick"]},
    ],
}


async def test_every_reading_command_speaks_json(client, task_queue, tmp_path, cli):
    """`run` and `watch` as `client.py`; the others in this process, where they print the same JSON to the
    stream they are given (each is run as `client.py` by other tests: six processes took 31 s at load)."""
    plan = write_plan(tmp_path, ONE)
    valid = await cli.here("validate", "--plan", plan, "--json")
    assert valid.code == 0 and valid.json == {"valid": True, "plan": "one", "steps": 1, "phases": [["nap"]]}
    bad = write_plan(tmp_path, {"name": "bad", "nodes": [{"id": "a", "tool": "teleport"}]}, "bad.yaml")
    invalid = await cli.here("validate", "--plan", bad, "--json")  # exit 2 as client.py: test_bad_plan_files
    assert (
        invalid.code == 2
        and invalid.json["valid"] is False
        and "unknown tool 'teleport'" in invalid.json["problems"][0]
    )

    workflow_id = f"json-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ran = await cli("run", "--plan", plan, "--id", workflow_id, "--json")
        assert ran.code == 0, ran.err
        watched = await cli("watch", workflow_id, "--json")
    assert watched.code == 0 and ExecutionRecord.model_validate(watched.json).state == AgentState.COMPLETED
    status = await cli.here("status", workflow_id, "--json")
    assert status.code == 0 and status.json["kind"] == "plan" and status.json["status"] == "COMPLETED"
    assert ExecutionRecord.model_validate(status.json["record"]).step("nap").state == "completed"
    history = await cli.here("history", workflow_id, "--json")
    assert history.code == 0 and [row["node_id"] for row in history.json][-1] == "nap"
    listed = await until(cli, ("list", "--query", f"WorkflowId='{workflow_id}'", "--json"), lambda r: r.json, here=True)
    assert listed.json[0]["workflow_id"] == workflow_id and listed.json[0]["plan"] == "one"
    tools = await cli.here("tools", "--json")  # as client.py: test_run's test_tools_json_lists_the_builtins
    assert tools.code == 0 and any(t["name"] == "sleep" for t in tools.json)


async def test_history_rows_are_in_time_order(client, task_queue, tmp_path, cli):
    workflow_id = f"order-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ran = await cli.here("run", "--plan", write_plan(tmp_path, ORDER), "--id", workflow_id)
    assert ran.code == 0, ran.out + ran.err
    rows = (await cli.here("history", workflow_id, "--json")).json  # as client.py: the test above
    order = [row["node_id"] for row in rows]
    assert order.index("slow") < order.index("after"), order
    times = [row["scheduled_at"] for row in rows]
    assert times == sorted(times)


async def test_stdout_carries_only_the_id_even_with_tracing_to_the_console(client, tmp_path, cli_env):
    env = {**cli_env, "OTEL_TRACES_EXPORTER": "console"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENT), "start", "--plan", write_plan(tmp_path, ONE), cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    assert process.returncode == 0, err.decode()
    assert out.decode().splitlines() == [out.decode().strip()] and out.decode().startswith("plan-one-")
    assert "StartWorkflow:OrchestrationWorkflow" in err.decode(), "the spans went to stderr"


async def test_ctrl_c_during_run_has_its_own_exit_code_and_says_the_run_goes_on(
    client, task_queue, tmp_path, cli_env, cli
):
    workflow_id = f"interrupted-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        process = await asyncio.create_subprocess_exec(
            sys.executable, *WITH_CTRL_C, str(CLIENT), "run", "--plan", write_plan(tmp_path, LONG), "--id", workflow_id,
            cwd=PROJECT_ROOT, env=cli_env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert process.stdout is not None
        while b"calling_tool" not in await asyncio.wait_for(process.stdout.readline(), TIMEOUT_S):
            pass
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
        assert process.returncode == 130, err.decode()
        assert f"the CLI stopped following {workflow_id}; the run itself goes on" in err.decode()
        assert f"python client.py cancel {workflow_id}" in err.decode() and "Traceback" not in err.decode()
        status = await cli("status", workflow_id, "--json")
        assert status.json["status"] == "RUNNING"
        assert (await cli("cancel", workflow_id)).code == 0


async def test_ctrl_c_during_the_validation_of_a_large_plan_stops_it(tmp_path, cli_env):
    # Validated on the event loop, the plan was checked to its end (13 to 20 s), every phase printed, and
    # only then did the CLI exit 130.
    chain = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"n{i - 1}"] if i else []}
             for i in range(60_000)]  # fmt: skip
    # The Ctrl-C comes once the CLI has read the plan and closed it, while the plan is being checked (one
    # before would prove nothing, and pass). inotify tells when: a plan file must be a regular file.
    plan = tmp_path / "large.json"
    plan.write_text(json.dumps({"name": "large", "nodes": chain}))
    with closed_after_reading(plan) as watch:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *WITH_CTRL_C, str(CLIENT), "validate", "--plan", str(plan),
            cwd=PROJECT_ROOT, env=cli_env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        await asyncio.wait_for(read_and_closed(watch, process), TIMEOUT_S)
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    assert process.returncode == 130, err.decode()
    assert out.decode() == "" and "Traceback" not in err.decode(), out.decode()[:200]


IN_CLOSE_NOWRITE = 0x10


@contextlib.contextmanager
def closed_after_reading(path: Path) -> Iterator[int]:
    """An inotify descriptor (not blocking) that becomes readable once a reader of ``path`` closes it."""
    libc = ctypes.CDLL(None, use_errno=True)
    descriptor = libc.inotify_init1(os.O_NONBLOCK)
    if descriptor < 0 or libc.inotify_add_watch(descriptor, os.fsencode(path), IN_CLOSE_NOWRITE) < 0:
        raise OSError(ctypes.get_errno(), "inotify")
    try:
        yield descriptor
    finally:
        os.close(descriptor)


async def read_and_closed(watch: int, process: asyncio.subprocess.Process) -> None:
    while True:
        try:
            os.read(watch, 4096)
        except BlockingIOError:
            assert process.returncode is None, f"ended before reading the plan: {process.returncode}"
            await asyncio.sleep(0.02)
        else:
            return


def test_help_and_usage_errors_import_nothing_heavy():
    """`--help` stays fast because no command's dependencies are imported to print it (bench/cli_startup.py)."""
    probe = (
        "import io, sys\n"
        "from orchestra.cli.app import parse\n"
        "for argv in (['--help'], ['status', '--help'], ['schedule', 'create', '--help'], ['status']):\n"
        "    parse(argv, io.StringIO())\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'temporalio', 'pydantic', 'rich', 'yaml'})))\n"
    )
    done = subprocess.run([sys.executable, "-c", "import json\n" + probe], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


async def test_counts_and_names_read_as_english(tmp_path, cli):
    validated = await cli.here("validate", "--plan", write_plan(tmp_path, ONE))
    assert "is valid: 1 step in 1 phase" in validated.out
    planned = await cli("plan", "list the files and write them to files.json")
    assert "phase 0: list (list_files)" in planned.out and "phase_0" not in planned.out


async def test_tables_fit_the_width_and_colours_follow_the_terminal_and_no_color(
    client, task_queue, tmp_path, cli_env, cli, monkeypatch
):
    """The real `client.py` into a pipe; COLUMNS, FORCE_COLOR and NO_COLOR are read by the same console in this
    process, with the environment the child would have."""
    workflow_id = f"colours-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ran = await cli.here("run", "--plan", write_plan(tmp_path, ORDER), "--id", workflow_id)
    assert ran.code == 0, ran.err
    into_a_pipe = await run_client("status", workflow_id, env=cli_env)
    assert "\x1b[" not in into_a_pipe.out and "✔ completed" in into_a_pipe.out
    monkeypatch.setenv("COLUMNS", "60")
    narrow = await cli.here("status", workflow_id)
    assert max(len(line) for line in narrow.out.splitlines()) <= 60, narrow.out
    monkeypatch.delenv("COLUMNS")
    use_env(monkeypatch, {**cli_env, "FORCE_COLOR": "1"})
    coloured = await cli.here("status", workflow_id)
    assert "\x1b[32m✔ completed" in coloured.out
    monkeypatch.setenv("NO_COLOR", "1")
    plain = await cli.here("status", workflow_id)
    assert "\x1b[32m" not in plain.out and "✔ completed" in plain.out


async def test_on_a_terminal_run_redraws_its_progress_in_place(client, task_queue, tmp_path, cli_env):
    """In a pseudo-terminal the live step table redraws in place (cursor movements); the record stays."""
    primary, secondary = pty.openpty()
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(CLIENT), "run", "--plan", write_plan(tmp_path, ORDER), cwd=PROJECT_ROOT,
            env={**cli_env, "COLUMNS": "120", "LINES": "40"}, stdin=secondary, stdout=secondary, stderr=secondary,
        )  # fmt: skip
        os.close(secondary)
        output = b""
        while True:
            try:
                chunk = await asyncio.to_thread(os.read, primary, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            output += chunk
        await asyncio.wait_for(process.wait(), TIMEOUT_S)
        os.close(primary)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    assert "\x1b[?25l" in text and "\x1b[2K" in text, "rich's live display hides the cursor and rewrites lines"
    assert "state COMPLETED" in text and "3/3 steps completed" in text


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[31m\x9b1m\x08"  # clear the screen, retitle, colour, C1 CSI, backspace


async def test_what_a_run_carries_never_reaches_the_terminal_as_escape_sequences(client, task_queue, tmp_path, cli):
    """A plan's name, a pause reason, a step's error and the run id are others' words (a plan, a Temporal
    client, a tool's server): the CLI shows them, never lets them clear or retitle the screen. `start` and
    the first `status` are real `client.py` calls (the id through argv); the rest run here, into streams
    that keep every character as written."""
    plan = {"name": f"esc{ESCAPES}", "nodes": [
        {"id": "bad", "tool": "json_query", "args": {"data": {}, "expression": f"`{ESCAPES}` | length(@) | x("}},
        {"id": "nap", "tool": "sleep", "args": {"seconds": 600}, "heartbeat_timeout_s": 2},
    ]}  # fmt: skip
    path = write_plan(tmp_path, plan)
    workflow_id = f"esc-{uuid.uuid4().hex[:8]}{ESCAPES}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        started = await cli("start", "--plan", path, "--id", workflow_id)
        assert started.code == 0, started.err
        paused = await cli.here("pause", workflow_id, "--reason", f"lunch{ESCAPES}")
        assert paused.code == 0, paused.err
        await until(
            cli,
            ("status", workflow_id, "--json"),
            lambda r: r.json["record"]["steps"][0]["state"] == "error",
            here=True,
        )
        shown = [await cli("status", workflow_id)]
        shown += [await cli.here(*args) for args in (("history", workflow_id), ("list",), ("cancel", workflow_id))]
        shown.append(await cli.here("result", workflow_id))
    assert "lunch" in shown[0].out and "esc" in shown[0].out and "bad" in shown[0].out
    for result in [started, paused, *shown]:
        for control in "\x1b\x07\x9b\x08":
            assert control not in result.out + result.err, (control, result)


def test_every_count_of_the_footer_is_written_alike():
    metrics = RunMetrics(total_steps=12_345, completed=10_001, failed=1_200, skipped=1_144, retry_count=2_000)
    record = ExecutionRecord(id="w", run_id="r", started_at=datetime.now(UTC), plan_name="big", metrics=metrics)
    footer = render.plan_footer(record)
    assert footer.startswith("10,001/12,345 steps completed · 1,200 failed · 1,144 skipped"), footer


async def test_json_output_escapes_what_a_terminal_acts_on_and_keeps_every_value(cli, tmp_path):
    """JSON escapes C0 controls itself, not DEL or the C1 controls (\\x9b is a CSI): those are escaped too,
    not dropped, so a script reading ``--json`` gets the plan's name as it was written."""
    name = f"a\x7fb\x85c\x9bd{ESCAPES}"
    result = await cli.here(  # the JSON written here is what client.py writes: test_every_reading_command_speaks_json
        "validate",
        "--plan",
        write_plan(tmp_path, {"name": name, "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}),
        "--json",
    )
    assert result.code == 0, result.err
    assert result.json["plan"] == name
    assert not any(control in result.out for control in "\x1b\x07\x7f\x85\x9b\x08"), result.out


# Reorder or hide what follows them on screen ("Trojan source"): bidi override, isolates, marks, zero-width
# space, BOM, a tag character, a line separator, a soft hyphen, a Hangul filler.
INVISIBLES = "\u202e\u2066\u2069\u200b\u200f\u061c\ufeff\U000e0041\u2028\u00ad\u3164"


async def test_what_a_run_carries_is_never_shown_reversed_or_hidden(client, task_queue, tmp_path, cli):
    """A plan's name, a step's error and the run id holding bidi or invisible format characters were shown
    raw: ``txt.exe`` reads as ``exe.txt``, two ids that differ look alike. Each is shown as its escape.
    `start` and the first `status` are real `client.py` calls; the rest run here (the same rendering)."""
    plan = {"name": f"report{INVISIBLES}", "description": f"about{INVISIBLES}", "nodes": [
        {"id": "bad", "tool": "json_query", "args": {"data": {}, "expression": f"`{INVISIBLES}` | length(@) | x("}},
        {"id": "nap", "tool": "sleep", "args": {"seconds": 600}, "heartbeat_timeout_s": 2},
    ]}  # fmt: skip
    path = write_plan(tmp_path, plan)
    workflow_id = f"bidi-{uuid.uuid4().hex[:8]}{INVISIBLES}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        started = await cli("start", "--plan", path, "--id", workflow_id)
        assert started.code == 0, started.err
        await until(
            cli,
            ("status", workflow_id, "--json"),
            lambda r: r.json["record"]["steps"][0]["state"] == "error",
            here=True,
        )
        described = await client.get_workflow_handle(workflow_id).describe()  # what the Web UI shows
        web_ui = f"{await described.static_summary()} {await described.static_details()}"
        shown = [await cli("status", workflow_id)]
        shown += [await cli.here(*args) for args in (("history", workflow_id), ("list",))]
        as_json = await cli.here("status", workflow_id, "--json")
        shown.append(await cli.here("cancel", workflow_id))
        shown.append(await cli.here("result", workflow_id))
    assert "\\u202e" in shown[0].out and "report" in shown[0].out and "\\udb40\\udc41" in shown[0].out
    assert "report\\u202e" in web_ui and "about\\u202e" in web_ui, web_ui
    for result in [started, as_json, *shown]:
        for invisible in INVISIBLES:
            assert invisible not in result.out + result.err + web_ui, (hex(ord(invisible)), result)
    assert as_json.json["record"]["plan_name"] == plan["name"], "--json keeps the value, escaped as JSON escapes"
