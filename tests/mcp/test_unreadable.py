"""An answer no one can read ends the call at once, with what was wrong, over streamable HTTP
(tests/mcp/unreadable_server.py) and over stdio (tests/mcp/hostile_server.py, in the sandbox); whether
it is retried follows whether the tool is idempotent. And a server's own error with the SDK's code for
a closed connection (-32000) is the server's error, not a lost connection.

Each entry's ``timeout_s`` is far longer than any answer here takes: a call that waits it out ends
with a timeout instead of the error each test asks for."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from temporalio.client import WorkflowFailureError

from orchestra.errors import ToolError
from orchestra.registry import ToolRegistry
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.helpers import host_rule, start_plan, worker_for
from tests.mcp import unreadable_server
from tests.mcp.support import mcp_registry, tool_file
from tests.mcp.test_hostile import hostile

CONTEXT = cast(ToolContext, None)
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with unreadable_server.serving() as url:
        yield url


def registry_for(tmp_path: Path, entry: dict[str, Any], hosts: list[str] | None = None) -> ToolRegistry:
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    config = Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=hosts or ["127.0.0.1"])
    registry = mcp_registry(config, tool_file(tmp_path, entry))
    assert not registry.server_problems.get(entry["name"]), registry.server_problems
    return registry


async def failure_of(registry: ToolRegistry, name: str) -> ToolError:
    tool = registry.get(name)
    try:
        with pytest.raises(ToolError) as failed:
            await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()
    return failed.value


def over_http(tmp_path: Path, base_url: str, mode: str) -> ToolRegistry:
    url = f"{base_url}/{mode}"
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": TIMEOUT_S}
    return registry_for(tmp_path, entry, [host_rule(url)])


HTTP_CASES = [
    ("garbage", "mcp_unreadable_answer", "is not JSON"),
    ("html", "mcp_unreadable_answer", "neither JSON nor an event stream ('text/html')"),
    ("not-jsonrpc", "mcp_unreadable_answer", "result: Input should be an object"),
    ("other-id", "mcp_unreadable_answer", "answered request id"),
    (
        "bad-result",
        "mcp_unreadable_answer",
        "the result is not what was asked for: content: Input should be a valid list",
    ),
    ("many-items", "mcp_unreadable_answer", "content items, more than"),
    ("event-garbage", "mcp_unreadable_answer", "is not JSON"),
    ("http-500", "mcp_unreadable_answer", "HTTP 500"),
    ("processing", "mcp_unreadable_answer", "informational answers (1xx) and no final one"),
]


FINAL_MODES = {"processing"}


@pytest.mark.parametrize(("mode", "code", "said"), HTTP_CASES)
async def test_an_http_answer_that_cannot_be_read_fails_the_call_at_once(tmp_path, base_url, mode, code, said):
    once = await failure_of(over_http(tmp_path, base_url, mode), "u.once")
    assert (once.code, once.retryable) == (code, False), once
    assert said in str(once) and str(once).startswith("u.once: the MCP server's answer could not be read")
    again = await failure_of(over_http(tmp_path, base_url, mode), "u.again")
    # An idempotent tool is retried, but not to an answer the server would give again (test_unreadable_is_final).
    assert (again.code, again.retryable) == (code, mode not in FINAL_MODES), "an idempotent tool is retried"


@pytest.mark.parametrize(("mode", "named"), [("redirect", "HTTP 302 Found, redirecting to http://127.0.0.1:9/elsewhere?token=…&…"),
                                             ("redirect-300", "HTTP 300 Multiple Choices")])  # fmt: skip
async def test_a_redirect_is_named_without_credentials_or_query_values(tmp_path, base_url, mode, named):
    # The server's own URL carries a key in its query, the target a user, a password and a token.
    failed = await failure_of(over_http(tmp_path, base_url, f"{mode}?key=k3y"), "u.once")
    said = str(failed)
    assert named in said, said
    assert not any(secret in said for secret in ("k3y", "ann", "hunter2", "s3cret")), said


@pytest.mark.parametrize("mode", ["redirect-hostless", "redirect-unclosed"])
async def test_a_redirect_to_an_unreadable_url_is_named_so_without_its_credentials(tmp_path, base_url, mode):
    """httpx could not read the Location: with no host, the call failed as "the answer is not a JSON-RPC
    message: For absolute URLs, ..."; with an unclosed ``[``, as a connection broken (its outcome unknown)."""
    failed = await failure_of(over_http(tmp_path, base_url, mode), "u.once")
    said = str(failed)
    assert failed.code == "mcp_unreadable_answer" and "redirect to an unreadable URL" in said, said
    assert not any(secret in said for secret in ("ann", "hunter2", "s3cret", "JSON-RPC")), said


async def test_a_server_that_turns_a_call_away_has_it_retried_after_its_retry_after(tmp_path, base_url):
    # A 429 is no answer to the call: retried even for a tool that is not idempotent, no sooner than it says.
    failed = await failure_of(over_http(tmp_path, base_url, "http-429"), "u.once")
    # (Waited out before each of the call's tries after the first: 7 s asked was 14 s of the test.)
    assert (failed.code, failed.retryable, failed.retry_after_s) == ("mcp_rate_limited", True, 3.0), failed
    assert "HTTP 429" in str(failed), failed
    # Asked to wait longer than a step waits between attempts (outside one: MAX_RETRY_AFTER_S): not retried.
    longer = await failure_of(over_http(tmp_path, base_url, "http-503-long"), "u.once")
    assert (longer.code, longer.retryable) == ("mcp_rate_limited", False), longer
    assert "86400s" in str(longer), longer


async def test_a_call_turned_away_is_retried_even_for_a_tool_that_is_not_idempotent(tmp_path, base_url):
    # Such a tool has one Temporal attempt: a 503 no sooner retried than by the tool itself was not retried.
    registry = over_http(tmp_path, base_url, "busy-once")
    tool = registry.get("u.once")
    assert tool.spec.retry.max_attempts == 1
    before = unreadable_server.Handler.busy_calls
    try:
        result = await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()
    assert result.text == "done once" and unreadable_server.Handler.busy_calls - before == 2, result


async def test_a_call_turned_away_is_sent_as_often_as_its_steps_attempts_not_that_times_three(
    client, task_queue, tmp_path, base_url
):
    """A plan may give a tool that is not idempotent more attempts: each sent it 3 times, 9 sends in all."""
    registry = over_http(tmp_path, base_url, "busy-always")
    retry = {"max_attempts": 3, "initial_interval_s": 0.1}
    plan = {"name": "busy", "nodes": [{"id": "call", "tool": "u.once", "args": {}, "retry": retry}]}
    before = unreadable_server.Handler.busy_calls
    try:
        async with worker_for(client, task_queue, tmp_path / "workspace", registry):
            with pytest.raises(WorkflowFailureError):
                await (await start_plan(client, task_queue, plan)).result()
    finally:
        await registry.aclose()
    assert unreadable_server.Handler.busy_calls - before == 3, "9 before"


async def test_a_call_its_plan_gives_one_attempt_is_sent_once_though_turned_away(
    client, task_queue, tmp_path, base_url
):
    """The tool's own one attempt is tried 3 times when turned away; a plan asking 1 means once (3 before)."""
    registry = over_http(tmp_path, base_url, "busy-always")
    plan = {"name": "busy", "nodes": [{"id": "call", "tool": "u.once", "args": {}, "retry": {"max_attempts": 1}}]}
    before = unreadable_server.Handler.busy_calls
    try:
        async with worker_for(client, task_queue, tmp_path / "workspace", registry):
            with pytest.raises(WorkflowFailureError):
                await (await start_plan(client, task_queue, plan)).result()
    finally:
        await registry.aclose()
    assert unreadable_server.Handler.busy_calls - before == 1, "3 before"


@pytest.mark.parametrize("mode", ["event-cut", "body-cut"])
async def test_an_http_answer_cut_off_fails_the_call_as_a_lost_connection(tmp_path, base_url, mode):
    once = await failure_of(over_http(tmp_path, base_url, mode), "u.once")
    assert (once.code, once.retryable) == ("mcp_outcome_unknown", False), once
    again = await failure_of(over_http(tmp_path, base_url, mode), "u.again")
    assert (again.code, again.retryable) == ("mcp_connection_lost", True), again


async def test_one_calls_unreadable_answer_leaves_the_connection_to_the_others(tmp_path, base_url):
    registry = over_http(tmp_path, base_url, "garbage")
    tool = registry.get("u.once")
    try:
        for _ in range(2):  # the same session, still open: each call fails alone
            with pytest.raises(ToolError, match="is not JSON"):
                await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()


STDIO_CASES = [
    ("call-not-jsonrpc", "result: Input should be an object"),
    ("call-broken", "the server sent a broken message: it is not JSON"),
    ("call-other-id", "which was never asked"),
]


@pytest.mark.parametrize(("mode", "said"), STDIO_CASES)
async def test_a_stdio_answer_that_cannot_be_read_fails_the_call_at_once(tmp_path, mode, said):
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile(mode, timeout_s=TIMEOUT_S))
    failed = await failure_of(registry, "h.plain")
    assert (failed.code, failed.retryable) == ("mcp_unreadable_answer", False), failed
    assert said in str(failed)


async def test_a_line_that_is_no_message_is_still_ignored(tmp_path):
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile("banner", timeout_s=TIMEOUT_S))
    tool = registry.get("h.plain")
    try:
        output = await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()
    assert output.text == "done"


async def test_a_servers_own_32000_is_its_error_not_a_lost_connection(tmp_path, base_url):
    stdio = await asyncio.to_thread(registry_for, tmp_path, hostile("call-32000", timeout_s=TIMEOUT_S))
    for failed in (
        await failure_of(stdio, "h.plain"),
        await failure_of(over_http(tmp_path, base_url, "own-32000"), "u.once"),
    ):
        assert failed.code == "mcp_error_-32000" and "the server's own error" in str(failed), failed
        assert "may or may not have taken effect" not in str(failed)


async def test_a_server_that_forgot_the_session_gets_a_new_one_for_the_call_repeated(tmp_path, base_url):
    registry = over_http(tmp_path, base_url, "forget")
    tool = registry.get("u.once")
    try:
        # Not run by the server (HTTP 404 to its session): repeated on a new session, even for a tool that is
        # not idempotent, within its one Temporal attempt.
        output = await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()
    assert output.text == "done", "the repeated call opened a new session"


async def test_a_notification_the_server_never_answers_holds_no_call(tmp_path, base_url):
    # Each notification (here the handshake's `initialized`) goes out before any request queued behind it;
    # its answer was awaited for 300 s, so listing the tools and every call waited out their timeouts.
    url = f"{base_url}/mute-notice"
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": 20}
    registry = await asyncio.to_thread(registry_for, tmp_path, entry, [host_rule(url)])
    tool = registry.get("u.again")
    try:
        outputs = [await tool.run(tool.spec.input_model.model_validate({}), CONTEXT) for _ in range(2)]
    finally:
        await registry.aclose()
    assert [output.text for output in outputs] == ["done", "done"]
    assert unreadable_server.Handler.unanswered_notices >= 2  # the listing's handshake, and the calls'


async def test_a_call_answered_by_notifications_only_ends_at_its_timeout(tmp_path, base_url):
    # Each notification reset the HTTP read timeout (300 s): only the call's own timeout may end it.
    url = f"{base_url}/chatty"
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": 3}
    registry = await asyncio.to_thread(registry_for, tmp_path, entry, [host_rule(url)])
    failed = await asyncio.wait_for(failure_of(registry, "u.once"), 60)
    assert failed.code == "timeout" and "no answer within 3 s" in str(failed), failed
