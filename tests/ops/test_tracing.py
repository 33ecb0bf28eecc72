"""Spans from the client's start through the workflow and the activity to the tool's HTTP call, and
LLM calls as spans with their token counts: exported to OpenTelemetry's in-memory exporter."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, Status, StatusCode

from orchestra.calls import RunRequest
from orchestra.connect import connect
from orchestra.llm import LLMConfig
from orchestra.llm.client import ChatClient
from orchestra.llm.errors import LLMBadRequest, LLMUnavailable
from orchestra.llm.types import ChatRequest, Message
from orchestra.plan import parse_plan
from orchestra.telemetry import redaction, tracing
from tests.helpers import host_rule, http_server, json_body, run_plan_to_failure, settings_for
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = tracing.configure_tracing([exporter], set_global=False)
    assert provider is not None
    try:
        yield provider, exporter
    finally:
        tracing.shutdown_tracing()


def finished(provider: TracerProvider, exporter: InMemorySpanExporter) -> dict[str, ReadableSpan]:
    provider.force_flush()
    return {span.name: span for span in exporter.get_finished_spans()}


def parent_of(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent else None


async def test_one_trace_links_client_workflow_activity_and_http_call(spans, temporal_env, task_queue, tmp_path):
    provider, exporter = spans
    with http_server(lambda _r: json_body({"ok": True})) as url:
        settings = settings_for(task_queue, tmp_path / "workspace")
        real = {"address": temporal_env.client.service_client.config.target_host, "allowed_hosts": [host_rule(url)]}
        settings = settings.model_copy(update=real)
        client = await connect(settings)  # tracing is on: the client gets Temporal's TracingInterceptor
        plan = parse_plan({"name": "traced", "nodes": [{"id": "get", "tool": "http_request", "args": {"url": url}}]})
        async with create_worker(client, settings):  # inherits the client's interceptor
            await client.execute_workflow(
                OrchestrationWorkflow.run, RunRequest(plan=plan), id=f"traced-{uuid.uuid4()}", task_queue=task_queue
            )
    by_name = finished(provider, exporter)
    start = by_name["StartWorkflow:OrchestrationWorkflow"]
    run = by_name["RunWorkflow:OrchestrationWorkflow"]
    schedule = by_name["StartActivity:run_tool"]
    execute = by_name["RunActivity:run_tool"]
    http = by_name["HTTP GET"]
    chain = [start, schedule, execute, http]
    assert len({span.context.trace_id for span in [*chain, run]}) == 1, "one trace from client to HTTP call"
    # Temporal's interceptor hangs the workflow's own spans (its run, the activities it schedules) under
    # the client's StartWorkflow span, carried in the workflow's headers; the rest nest as called.
    assert parent_of(run) == start.context.span_id
    for parent, child in itertools.pairwise(chain):
        assert parent_of(child) == parent.context.span_id, f"{child.name} is a child of {parent.name}"
    assert http.attributes is not None and http.attributes["http.response.status_code"] == 200
    assert "?" not in str(http.attributes["url.full"])


async def test_llm_call_is_a_span_with_token_counts(spans):
    provider, exporter = spans
    answer = {
        "model": "scripted-1",
        "choices": [{"message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }
    with http_server(lambda _r: json_body(answer)) as url:
        config = LLMConfig(base_url=url, model="scripted", api_key="sk-test-key-not-real", timeout_s=10)
        async with ChatClient(config) as chat:
            with tracing.tracer().start_as_current_span("agent step") as parent:
                await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    span = finished(provider, exporter)["chat scripted"]
    assert parent_of(span) == parent.get_span_context().span_id
    assert span.attributes is not None
    assert span.attributes["gen_ai.usage.input_tokens"] == 11
    assert span.attributes["gen_ai.usage.output_tokens"] == 7
    assert span.attributes["gen_ai.response.model"] == "scripted-1"
    assert span.status.is_ok


async def test_llm_error_marks_the_span_failed(spans):
    provider, exporter = spans
    with http_server(lambda _r: (500, {}, b"boom")) as url:
        async with ChatClient(LLMConfig(base_url=url, model="down", timeout_s=10)) as chat:
            with pytest.raises(LLMUnavailable, match="500"):
                await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    span = finished(provider, exporter)["chat down"]
    assert not span.status.is_ok and span.events and span.events[0].name == "exception"


@pytest.mark.parametrize("base", ["http://ann:{pw}@127.0.0.1:9/v1?key={pw}", "http://ann:{pw}@127.0.0.1:9/{pw}/v1"])
async def test_an_llm_endpoints_user_info_reaches_neither_its_span_nor_its_error(spans, base):
    """A gateway's credentials written into the base URL were named whole as the span's server.address and in
    the error. (One with no host, 'http:' then the user, is refused when the config is made: test_llm_config.)"""
    provider, exporter = spans
    password = f"pw-{uuid.uuid4().hex}"
    async with ChatClient(LLMConfig(base_url=base.format(pw=password), model="gated", timeout_s=10)) as chat:
        with pytest.raises(LLMUnavailable) as failed:
            await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    span = finished(provider, exporter)["chat gated"]
    assert span.attributes is not None and "ann" not in str(span.attributes["server.address"]), span.attributes
    assert password not in exported_text(span) and password not in str(failed.value), failed.value


def exported_text(span: ReadableSpan) -> str:
    """Everything a span carries to its exporter as text: its attributes, its events' (an exception's
    message), its status."""
    parts = [span.name, str(dict(span.attributes or {})), str(span.status.description)]
    parts += [f"{event.name} {dict(event.attributes or {})}" for event in span.events]
    parts += [str(dict(link.attributes or {})) for link in span.links]
    return "\n".join(parts)


async def test_a_secret_in_a_url_reaches_no_span(spans, client, task_queue, tmp_path, monkeypatch):
    """http_request takes ${secrets.NAME} in its URL's path and query: the span of its call named the path in
    clear, and recorded the failing call's error, 'HTTP 404 from' the whole URL, as an exception event."""
    provider, exporter = spans
    token = "trace-tok-3f9a-very-secret"
    monkeypatch.setenv("ORCHESTRA_SECRET_TRACE_TOKEN", token)
    with http_server(lambda _r: (404, {"Content-Type": "text/plain"}, b"no such file")) as url:
        plan = {"name": "secret-in-url-traced",
                "nodes": [{"id": "get", "tool": "http_request",
                           "args": {"url": url + "/files/${secrets.TRACE_TOKEN}?key=${secrets.TRACE_TOKEN}"}}]}  # fmt: skip
        record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    assert record.step("get").error is not None
    exported = "\n".join(exported_text(span) for span in finished(provider, exporter).values())
    assert "HTTP GET" in exported and "HTTP 404 from" in exported, exported
    assert token not in exported, exported


def test_a_remembered_secret_reaches_no_part_of_a_span(spans):
    """Every part a span carries is masked: a link's attributes were handed on as they were."""
    provider, exporter = spans
    secret = f"span-secret-{uuid.uuid4().hex}"
    redaction.remember(secret)
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("linked to") as other:
        pass
    link = Link(other.get_span_context(), {"note": secret})
    with tracer.start_as_current_span("linking", links=[link]) as span:
        span.set_attribute("values", [secret, "plain"])
        span.add_event("said", {"text": f"it said {secret}"})
        span.set_status(Status(StatusCode.ERROR, f"failed with {secret}"))
    exported = exported_text(finished(provider, exporter)["linking"])
    assert "plain" in exported and "it said" in exported and "failed with" in exported, exported
    assert secret not in exported, exported


async def test_an_llm_endpoint_echoing_its_url_names_no_credential_of_it(spans):
    """A gateway's key written into the base URL's query or user info, echoed back in the endpoint's error
    body (a 404 naming the path asked): the body is quoted in the error, masked only for what redaction
    knows, and it knew the API key alone."""
    provider, exporter = spans
    password, key = f"pw-{uuid.uuid4().hex}", f"k3y-{uuid.uuid4().hex}"

    def echo(request: Any) -> tuple[int, dict[str, str], bytes]:
        said = f"no route for {request.path} (authorization {request.headers.get('Authorization')})"
        return 404, {"Content-Type": "text/plain"}, said.encode()

    with http_server(echo) as url:
        base = url.replace("http://", f"http://ann:{password}@") + f"/v1?key={key}"
        async with ChatClient(LLMConfig(base_url=base, model="echoing", timeout_s=10)) as chat:
            with pytest.raises(LLMBadRequest) as failed:
                await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    said = str(failed.value)
    assert "no route for /v1/chat/completions?key=" in said, said  # the path under the base, its query after
    assert key not in said and password not in said, said
    assert key not in exported_text(finished(provider, exporter)["chat echoing"])
