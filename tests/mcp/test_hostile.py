"""A hostile MCP server (tests/mcp/hostile_server.py, run in the sandbox like any stdio server) against
the worker that lists and calls it: whatever it answers, the worker neither waits for ever, nor holds
what it should not, nor runs what could take it exponential time, nor shows the server's secrets."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.server
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest

from orchestra.errors import ToolError
from orchestra.mcp.connection import MAX_TOOLS
from orchestra.mcp.transports import MAX_MESSAGE_BYTES, STDERR_LINE_CHARS
from orchestra.registry import ToolRegistry
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.helpers import host_rule, nothing_left_unfinished, serving
from tests.mcp.answering import Answering
from tests.mcp.support import mcp_registry, tool_file

HERE = Path(__file__).resolve().parent
SECRET = "hostile-server-key-4242"
CONTEXT = cast(ToolContext, None)
# Far longer than any answer here takes: only a worker that waits for ever hits it.
NEVER = 300


def hostile(mode: str, size: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "mcp", "name": "h", "command": ["/usr/bin/python3",
                                                str(HERE / "hostile_server.py"), mode, str(size)],
        "read_only": [str(HERE)], "timeout_s": 10, **extra,
    }  # fmt: skip


def settings(tmp_path: Path) -> Settings:
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    return Settings(workspace=workspace, data_dir=tmp_path / "data")


async def listed(tmp_path: Path, entry: dict[str, Any]) -> ToolRegistry:
    # In a thread with a deadline: a worker that waits for ever would hang the suite, not fail the test.
    path = tool_file(tmp_path, entry)
    return await asyncio.wait_for(asyncio.to_thread(mcp_registry, settings(tmp_path), path), NEVER)


def problems(registry: ToolRegistry) -> str:
    return " | ".join(registry.server_problems.get("h", []))


async def test_a_server_that_never_lists_its_tools_is_unavailable_after_its_timeout(tmp_path):
    registry = await listed(tmp_path, hostile("mute-list", timeout_s=2))
    assert "did not list its tools within 2 s" in problems(registry)


async def test_a_message_longer_than_the_limit_closes_the_server(tmp_path):
    # And closes it whole: its pipes still full, the server's process used to be left to the collector,
    # which could not close it any more once the listing's event loop had ended.
    with nothing_left_unfinished():
        registry = await listed(tmp_path, hostile("long-line", MAX_MESSAGE_BYTES + 1_000_000, timeout_s=60))
    assert f"message over {MAX_MESSAGE_BYTES} bytes" in problems(registry)


async def test_a_server_listing_more_tools_than_the_limit_is_refused(tmp_path):
    registry = await listed(tmp_path, hostile("many", MAX_TOOLS + 1))
    assert f"lists more than {MAX_TOOLS:,} tools" in problems(registry)
    assert not [tool for tool in registry if tool.name.startswith("h.")]


async def test_two_tools_of_one_name_are_both_refused(tmp_path):
    registry = await listed(tmp_path, hostile("twins"))
    assert "h.twin" not in registry
    assert "tool 'twin' is listed 2 times" in problems(registry)


async def test_a_schema_that_refers_to_itself_without_end_is_refused_when_listed(tmp_path):
    registry = await listed(tmp_path, hostile("ref-loop"))
    assert "h.loop" not in registry
    assert "refers to itself without end" in problems(registry)


async def test_regular_expressions_of_a_schema_run_on_re2(tmp_path):
    registry = await listed(tmp_path, hostile("patterns"))
    # Back-references have no linear-time matcher: such a tool is refused, not matched by Python's re.
    assert "h.backref" not in registry
    assert "tool 'backref'" in problems(registry) and "is not one RE2 runs" in problems(registry)
    # ^(a|a)*$ takes Python's re about 2**64 steps on this; RE2 answers at once.
    model = registry.get("h.redos").spec.input_model
    with pytest.raises(ValueError, match='"pattern"'):
        model.model_validate({"x": "a" * 64 + "!"})
    assert model.model_validate({"x": "aaaa"}).model_dump(by_alias=True, exclude_unset=True) == {"x": "aaaa"}


async def test_a_servers_secret_is_masked_in_its_listing_and_its_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    registry = await listed(tmp_path, hostile("telltale", env={"TOKEN": "${secrets.HOSTILE_KEY}"}))
    tool = registry.get("h.tell")
    assert SECRET not in tool.card.description and "***" in tool.card.description
    try:
        with pytest.raises(ToolError) as failed:
            await tool.run(tool.spec.input_model.model_validate({"x": "go"}), CONTEXT)
    finally:
        await registry.aclose()
    assert SECRET not in str(failed.value) and "refused key ***" in str(failed.value)


def command_lines() -> str:
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            found.append((entry / "cmdline").read_bytes().decode(errors="replace"))
    return "\n".join(found)


async def test_a_servers_secret_is_on_no_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    registry = await listed(tmp_path, hostile("plain", env={"TOKEN": "${secrets.HOSTILE_KEY}"}))
    tool = registry.get("h.plain")
    try:
        output = await tool.run(tool.spec.input_model.model_validate({"x": "go"}), CONTEXT)
        assert output.text == "done"  # the server is up, its session open: every process of it exists
        lines = command_lines()
    finally:
        await registry.aclose()
    assert "hostile_server.py" in lines
    assert SECRET not in lines, "every process on the host can read a command line"


@pytest.mark.parametrize("shown", ["/proc", "/etc", "/", "workspace's parent"])
async def test_read_only_paths_that_show_the_host_are_refused(tmp_path, shown):
    path = str(tmp_path) if shown == "workspace's parent" else shown
    registry = await listed(tmp_path, hostile("plain", read_only=[str(HERE), path]))
    assert "h.plain" not in registry
    assert f"read_only path {path!r} refused" in problems(registry)


class EndlessAnswer(http.server.BaseHTTPRequestHandler):
    """An HTTP 'MCP server' whose answer to anything never ends (until the client hangs up)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b"x" * (1024 * 1024)
        with contextlib.suppress(OSError):
            while True:
                self.wfile.write(chunk)

    def log_message(self, *args: Any) -> None:
        pass


async def test_an_http_servers_endless_answer_is_cut_at_the_message_limit(tmp_path):
    with serving(EndlessAnswer) as base:
        url = f"{base}/mcp"
        config = settings(tmp_path).model_copy(update={"allowed_hosts": [host_rule(url)]})
        path = tool_file(tmp_path, {"kind": "mcp", "name": "h", "url": url, "timeout_s": 20})
        registry = await asyncio.wait_for(asyncio.to_thread(mcp_registry, config, path), NEVER)
    assert f"over {MAX_MESSAGE_BYTES} bytes" in problems(registry)


async def test_an_env_value_cannot_add_sandbox_options(tmp_path):
    # bwrap reads its options NUL-separated from a file descriptor: a NUL in a value would end it there
    # and make the rest an option of its own, here the host's root bound into the sandbox.
    injected = "x\0--ro-bind\0/\0/tmp/host"
    registry = await listed(tmp_path, hostile("plain", env={"X": injected}))
    assert "h.plain" not in registry
    assert "NUL" in problems(registry)


async def test_an_env_value_that_looks_like_the_end_of_options_is_only_a_value(tmp_path):
    registry = await listed(tmp_path, hostile("plain", env={"X": "--"}))
    assert "h.plain" in registry, problems(registry)


async def test_a_servers_secret_cut_short_with_its_stderr_line_is_not_shown_in_part(tmp_path, monkeypatch):
    """A stderr line is kept to its first STDERR_LINE_CHARS: a secret across the cut was masked no more (only
    whole ones are), and its first characters showed in the server's problem; a line is masked, then cut."""
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    pad = "x" * (STDERR_LINE_CHARS - 8)
    entry = {"kind": "mcp", "name": "h", "command": ["sh", "-c", f'echo "{pad}$TOKEN" >&2; exit 3'],
             "env": {"TOKEN": "${secrets.HOSTILE_KEY}"}}  # fmt: skip
    registry = await listed(tmp_path, entry)
    said = problems(registry)
    assert pad in said, said
    assert SECRET[:8] not in said, said


async def test_a_servers_secret_wrapped_across_stderr_lines_is_masked(tmp_path, monkeypatch):
    """Each stderr line was masked alone: the secret's base64 wrapped in lines (``base64`` at 76 columns,
    here 20) is whole in none of them, and the lines joined in the server's problem gave it back."""
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    entry = {"kind": "mcp", "name": "h", "command": ["sh", "-c", 'printf %s "$TOKEN" | base64 -w 20 >&2; exit 3'],
             "env": {"TOKEN": "${secrets.HOSTILE_KEY}"}}  # fmt: skip
    registry = await listed(tmp_path, entry)
    said = problems(registry)
    encoded = base64.b64encode(SECRET.encode()).decode()
    assert "***" in said and encoded[:12] not in said.replace(" | ", ""), said


async def test_a_progress_bar_on_stderr_never_ended_by_a_newline_leaves_the_server_usable(tmp_path):
    """Stderr was read a line at a time, and a line longer than asyncio's buffer (64 KiB) raised in the
    reader, which took the server's whole connection down: listing and every call failed."""
    registry = await listed(tmp_path, hostile("progress", 1_000_000, timeout_s=60))
    try:
        assert "h.plain" in registry, problems(registry)
        tool = registry.get("h.plain")
        output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
    finally:
        await registry.aclose()
    assert output.text == "done"


async def test_a_tools_output_schema_is_checked_by_a_validator_built_once(tmp_path, monkeypatch):
    """The check of each answer against the tool's output schema checked the schema and built its
    validator anew on every call (twice: ``problem`` builds one too): the schema's cost, paid per call."""
    from orchestra.mcp import schemas

    built: list[object] = []
    real = schemas.validator

    def spy(schema: dict[str, object]) -> object:
        built.append(schema)
        return real(schema)

    monkeypatch.setattr(schemas, "validator", spy)
    registry = await listed(tmp_path, hostile("output-ok", 3, timeout_s=60))
    try:
        tool = registry.get("h.plain")
        for call in range(3):
            if call == 1:
                built.clear()  # the first call builds it (unless an earlier test did)
            output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
            assert output.text == "done"
    finally:
        await registry.aclose()
    assert not built, f"{len(built)} validators built for two more calls"


CALL_ONCE = """
import asyncio, json, sys
from pathlib import Path
from orchestra.errors import ToolError
from tests.mcp.support import mcp_registry
from tests.mcp.test_hostile import settings

async def call(directory, path):
    registry = mcp_registry(settings(Path(directory)), Path(path))
    tool = registry.get("h.plain")
    try:
        await tool.run(tool.spec.input_model.model_validate({}), None)
        return {"ended": "completed"}
    except ToolError as exc:
        return {"ended": "ToolError", "code": exc.code, "retryable": exc.retryable}
    finally:
        await registry.aclose()

for line in sys.stdin:
    print(json.dumps(asyncio.run(call(*json.loads(line)))), flush=True)
"""


@pytest.fixture(scope="module")
async def call_once() -> AsyncIterator[Answering]:
    """The call of a tool file's h.plain, in the module's calling process (tests/mcp/answering.py)."""
    answering = Answering(CALL_ONCE, deadline_s=NEVER)
    try:
        yield answering
    finally:
        await answering.close()


@pytest.mark.parametrize("mode", ["output-redos", "output-loop", "output-unevaluated"])
async def test_a_results_check_against_the_output_schema_runs_on_re2_and_never_recurses_without_end(
    tmp_path: Path, mode: str, call_once: Answering
) -> None:
    """The SDK checked structured content against the server's output schema with jsonschema as it comes:
    Python's re (2**64 steps here, holding the GIL: the worker's every thread stalled). A schema that
    refers to itself stays an error of the call. The call is made in a process of the module's, so that one
    stuck in it fails this test."""
    path = tool_file(tmp_path, hostile(mode, 64, timeout_s=60))
    ended = await call_once([str(tmp_path), str(path)])
    assert ended == {"ended": "ToolError", "code": "mcp_bad_result", "retryable": False}


async def test_a_text_answer_nested_deeper_than_the_parser_goes_is_kept_as_text(tmp_path):
    """A text that looks like JSON is parsed for the output's ``json``: nested 100,000 deep, json.loads raised
    RecursionError, a system error retried, the call made again even when not idempotent."""
    registry = await listed(tmp_path, hostile("text-deep", 100_000))
    try:
        tool = registry.get("h.plain")
        output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        assert output.json_ is None and output.text.startswith("[[[")
    finally:
        await registry.aclose()
