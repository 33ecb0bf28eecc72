"""Secrets: ${secrets.NAME} is resolved on the worker only, never written to the history in clear."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from orchestra.errors import ErrorKind
from orchestra.record import StepState
from tests.helpers import http_server, run_plan_to_failure, run_plan_to_failure_with_history, run_plan_with_history

TOKEN = "tok-3f9a-very-secret-value"


def echo_headers(request):
    return (
        200,
        {"Content-Type": "application/json"},
        json.dumps({"auth": request.headers.get("Authorization")}).encode(),
    )


async def test_secret_reaches_the_tool_but_not_the_history(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_API_TOKEN", TOKEN)
    with http_server(echo_headers) as url:
        plan = {
            "name": "with-secret",
            "nodes": [{"id": "call", "tool": "http_request",
                       "args": {"url": url, "headers": {"Authorization": "Bearer ${secrets.API_TOKEN}"}}}],
        }  # fmt: skip
        record, history = await run_plan_with_history(client, task_queue, tmp_path, plan)
    step = record.step("call")
    assert step.state == StepState.COMPLETED
    assert step.output["json"]["auth"] == "Bearer ***", "the tool saw the secret; its output carries it masked"
    assert TOKEN not in history, "the secret must not appear anywhere in the history"
    assert "${secrets.API_TOKEN}" in history, "the history keeps the reference, not the value"


async def test_a_credential_in_a_url_given_as_a_plan_input_stays_out_of_the_history(
    client, task_queue, tmp_path, monkeypatch
):
    """A URL whose credential the planner masked is asked for as a plan input; the user gave it in clear, and
    it was written to the run's history (secrets were refused in http_request's url and params). Given as
    ``${secrets.NAME}``, it is resolved on the worker now: the server gets it, the history the reference.
    In the URL it is percent-encoded: a base64 token's '/' and '+', an '&', were read as the URL's own."""
    token = "tok/3f9a+very&secret=1"
    monkeypatch.setenv("ORCHESTRA_SECRET_URL_TOKEN", token)
    heard: list[str] = []

    def echo_query(request):
        heard.append(request.path)
        return 200, {"Content-Type": "text/plain"}, request.path.encode()

    with http_server(echo_query) as url:
        plan = {
            "name": "secret-in-url",
            "inputs": {"download_url": url + "/feed?token=${secrets.URL_TOKEN}"},
            "nodes": [{"id": "call", "tool": "http_request",
                       "args": {"url": "${inputs.download_url}", "params": {"key": "${secrets.URL_TOKEN}"}}}],
        }  # fmt: skip
        record, history = await run_plan_with_history(client, task_queue, tmp_path, plan)
    step = record.step("call")
    assert step.state == StepState.COMPLETED, step.error
    [path] = heard
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query) == {"token": [token], "key": [token]}
    output = json.dumps(step.output)
    assert urllib.parse.quote(token, safe="") not in history + output and token not in output
    assert "${secrets.URL_TOKEN}" in history


async def test_a_secret_may_not_name_a_urls_host(client, task_queue, tmp_path, monkeypatch):
    """A host's name goes to DNS resolvers in clear, and chooses where the request goes: refused when the
    plan is checked (written whole as an input), and on the worker where only the run shows it (an input
    inside the URL's text), before the secret is resolved."""
    from orchestra.errors import PlanValidationError
    from orchestra.plan import parse_plan
    from orchestra.registry import default_registry
    from orchestra.validation import prepare_plan

    words = "a secret may be in a URL's user, password, path, query or fragment, not its host or port"
    written = {"inputs": {"u": "http://a.${secrets.API_TOKEN}.example.com/"},
               "nodes": [{"id": "a", "tool": "http_request", "args": {"url": "${inputs.u}"}}]}  # fmt: skip
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(parse_plan(written), default_registry())
    assert words in str(refused.value)

    monkeypatch.setenv("ORCHESTRA_SECRET_API_TOKEN", TOKEN)
    plan = {"name": "secret-in-host", "inputs": {"h": "${secrets.API_TOKEN}"},
            "nodes": [{"id": "call", "tool": "http_request", "args": {"url": "http://127.0.0.1:${inputs.h}/"}}]}  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    step = record.step("call")
    assert step.error is not None and step.error.type == ErrorKind.VALIDATION and words in step.error.message


async def test_a_missing_secret_fails_the_step_without_retrying(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.delenv("ORCHESTRA_SECRET_NOPE", raising=False)
    plan = {
        "name": "missing-secret",
        "nodes": [{"id": "call", "tool": "http_request", "retry": {"max_attempts": 3},
                   "args": {"url": "http://127.0.0.1:9/", "headers": {"X-Key": "${secrets.NOPE}"}}}],
    }  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    step = record.step("call")
    assert step.error is not None and step.error.type == ErrorKind.VALIDATION and step.attempts == 1
    assert "ORCHESTRA_SECRET_NOPE" in step.error.message


@pytest.mark.parametrize("condition", ["secrets.API_TOKEN == 'x'", "len(secrets.API_TOKEN) > 0"])
def test_conditions_cannot_read_secrets(condition):
    from orchestra.errors import PlanValidationError
    from orchestra.plan import parse_plan
    from orchestra.registry import default_registry
    from orchestra.validation import prepare_plan

    plan = parse_plan({"nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}, "condition": condition}]})
    with pytest.raises(PlanValidationError) as err:
        prepare_plan(plan, default_registry())
    assert "secrets" in str(err.value)


def test_secrets_are_refused_outside_the_tools_secret_arguments():
    from orchestra.errors import PlanValidationError
    from orchestra.plan import parse_plan
    from orchestra.registry import default_registry
    from orchestra.validation import prepare_plan

    plan = parse_plan(
        {"nodes": [{"id": "leak", "tool": "extract_text", "args": {"text": "${secrets.API_TOKEN}", "pattern": "(.*)"}}]}
    )
    with pytest.raises(PlanValidationError) as err:
        prepare_plan(plan, default_registry())
    assert "node 'leak': secrets are not allowed in text" in str(err.value)


@pytest.mark.parametrize(
    "header",
    [
        "${secrets.${inputs.name}}",
        "${secrets.${page.output.json.name}}",
        "${secrets.API_${inputs.name}}",
        "${secrets.API_TOKEN",
        "${secrets.}",
        "${inputs.name || secrets.API_TOKEN}",
    ],
)
def test_a_secret_named_other_than_whole_in_the_plan_is_refused_before_the_run(header):
    """The activity resolves only ``${secrets.NAME}`` written whole: a name built from an input or a result
    failed at the call, after the steps before it had had their effects (or went out as text)."""
    from orchestra.errors import PlanValidationError
    from orchestra.plan import parse_plan
    from orchestra.registry import default_registry
    from orchestra.validation import prepare_plan

    def plan_sending(value: str) -> Any:
        fetch = {"id": "page", "tool": "http_request", "args": {"url": "http://example.com/"}}
        send = {"id": "send", "tool": "http_request", "args": {"url": "http://example.com/", "headers": {"X": value}}}
        return parse_plan({"inputs": {"name": "TOKEN"}, "nodes": [fetch, send]})

    with pytest.raises(PlanValidationError) as err:
        prepare_plan(plan_sending(header), default_registry())
    reason = str(err.value)
    assert "node 'send'" in reason and ("not a secret reference" in reason or "alternatives" in reason), reason
    prepare_plan(plan_sending("${ secrets.API_TOKEN }"), default_registry())  # written whole: taken


async def test_an_agent_style_call_may_not_use_secrets(tmp_path, monkeypatch):
    from temporalio.exceptions import ApplicationError
    from temporalio.testing import ActivityEnvironment

    from activities.tools import ToolActivities
    from orchestra.calls import ToolCall
    from orchestra.confinement import Confinement
    from orchestra.registry import default_registry

    monkeypatch.setenv("ORCHESTRA_SECRET_API_TOKEN", TOKEN)
    tools = ToolActivities(default_registry(), Confinement(workspace=tmp_path))
    call = ToolCall(
        tool="http_request",
        node_id="step-1.call",
        args={"url": "http://127.0.0.1:9/", "headers": {"X": "${secrets.API_TOKEN}"}},
    )
    with pytest.raises(ApplicationError) as err:
        await ActivityEnvironment().run(tools.run_tool, call)
    assert err.value.type == "validation" and "may not use secrets" in err.value.message


async def test_a_secret_echoed_into_an_error_is_masked_there_too(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_API_TOKEN", TOKEN)

    def refuse_and_echo(request):
        return 401, {"Content-Type": "text/plain"}, f"bad credentials: {request.headers.get('Authorization')}".encode()

    with http_server(refuse_and_echo) as url:
        plan = {
            "name": "echoed-secret",
            "nodes": [{"id": "call", "tool": "http_request", "retry": {"max_attempts": 1},
                       "args": {"url": url, "headers": {"Authorization": "Bearer ${secrets.API_TOKEN}"}}}],
        }  # fmt: skip
        record, history = await run_plan_to_failure_with_history(client, task_queue, tmp_path, plan)
    error = record.step("call").error
    assert error is not None and "401" in error.message
    assert TOKEN not in history, "the secret must not reach the history through an error message"
