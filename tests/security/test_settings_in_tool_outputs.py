"""A tool's OUTPUT quoting the worker's secret settings (its codec key, TEMPORAL_API_KEY, an ORCHESTRA_SECRET_*) is
masked in the history: only the call's own secrets were, so a server on loopback echoing the key or a file holding it
went into the history in clear. Also every other way a tool activity's text leaves the worker: an error's code or
class name (the metrics' label and the tool health history) and a failure raised before the tool ran. A real worker
encrypting with the key, a real dev server, real HTTP and files, the whole history read back, every payload decrypted."""

from __future__ import annotations

import asyncio
import json
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from activities.health import HealthReporter
from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.codec import EncryptionCodec, new_key
from orchestra.confinement import Confinement
from orchestra.connect import connect
from orchestra.errors import ToolError
from orchestra.health import ToolOutcome
from orchestra.plan import Plan
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolCard, ToolContext, ToolFunction, ToolSpec
from tests.helpers import http_server, payload_text, start_plan
from tests.ops.test_codec import payloads_in
from tests.security.support import RUN_WITHIN_S, real_settings, real_worker
from tests.security.test_worker_secrets_in_failures import forms

API_KEY = "temporal-api-key-Zq81xv"
OTHER_SECRET = "another plan's pass phrase 9"
TOOLS = """
tools:
  - name: echo
    kind: http
    description: a service echoing its configuration
    url: "BASE/config"
    retry: {max_attempts: 1}
"""


def _settings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    key = new_key()
    monkeypatch.setenv("ORCHESTRA_CODEC_KEY", key)
    monkeypatch.setenv("TEMPORAL_API_KEY", API_KEY)
    monkeypatch.setenv("ORCHESTRA_SECRET_OTHER", OTHER_SECRET)
    return [key, API_KEY, OTHER_SECRET]


def _dump(secrets: list[str]) -> str:
    return "config dump: " + " | ".join(form for secret in secrets for form in forms(secret))


async def _history_text(plain: Client, workflow_id: str) -> str:
    history = await plain.get_workflow_handle(workflow_id).fetch_history()
    codec = EncryptionCodec.from_env()
    assert codec is not None
    decoded = await codec.decode([p for event in history.events for p in payloads_in(event)])
    return payload_text(json.loads(history.to_json())) + "\n".join(p.data.decode(errors="replace") for p in decoded)


@pytest.mark.parametrize("tool", ["echo", "read_file"])
async def test_a_tool_output_quoting_the_workers_secret_settings_is_masked_in_the_history(
    tool: str, temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = _settings(monkeypatch)
    dump = _dump(secrets)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "config.txt").write_text(dump)
    args = {"path": "config.txt"} if tool == "read_file" else {}
    with http_server(lambda request: (200, {"Content-Type": "text/plain"}, dump.encode())) as url:
        tools = tmp_path / "tools.yaml"
        tools.write_text(textwrap.dedent(TOOLS).replace("BASE", url))
        plain = temporal_env.client
        settings = real_settings(plain, task_queue, workspace, registry_files=[str(tools)], allowed_hosts=[url[7:]])
        encrypted: Client = await connect(settings)  # the codec from the environment, as on a worker
        async with real_worker(encrypted, settings):
            handle = await start_plan(
                encrypted, task_queue, {"name": "dump", "nodes": [{"id": "dump", "tool": tool, "args": args}]}
            )
            record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), RUN_WITHIN_S))
    assert record.step("dump").state == StepState.COMPLETED, record.step("dump")
    text = await _history_text(plain, handle.id)
    assert "config dump" in text, "the output's own words are kept"
    shown = [form for secret in secrets for form in forms(secret) if form in text]
    assert not shown, f"found in the history: {shown}"


class _Outcomes(HealthReporter):
    """What the worker would send the tool health workflow, kept here."""

    def __init__(self) -> None:
        self.outcomes: list[ToolOutcome] = []

    def add(self, outcome: ToolOutcome) -> None:
        self.outcomes.append(outcome)


class _NoInput(BaseModel):
    pass


def _registered(name: str, run: ToolFunction) -> ToolRegistry:
    registry = default_registry()
    registry.register(
        Tool(spec=ToolSpec(name=name, description="Fail quoting a setting.", input_model=_NoInput), run=run)
    )
    return registry


def _every_text(error: BaseException) -> str:
    return "\n".join([str(error), repr(getattr(error, "details", ())), str(getattr(error, "type", ""))])


async def _failure(registry: ToolRegistry, tool: str, tmp_path: Path, health: HealthReporter) -> ApplicationError:
    activities = ToolActivities(registry, Confinement(workspace=tmp_path), health)
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(activities.run_tool, ToolCall(tool=tool, node_id="n", args={}))
    return raised.value


async def test_an_error_class_named_after_a_setting_is_masked_for_the_metrics_and_health(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The class's name is the outcome's error type (the tool health workflow's history, the metrics' label)."""
    monkeypatch.setenv("TEMPORAL_API_KEY", API_KEY)

    async def named(args: _NoInput, ctx: ToolContext) -> None:
        raise type(f"Refused_{API_KEY}", (Exception,), {})("no")

    health = _Outcomes()
    failure = await _failure(_registered("named", named), "named", tmp_path, health)
    (outcome,) = health.outcomes
    assert outcome.error_type is not None and "***" in outcome.error_type and API_KEY not in outcome.error_type
    assert API_KEY not in _every_text(failure)


async def test_a_tool_errors_code_quoting_a_setting_is_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tool's own error code: the failure's details, the outcome's error type, the metrics' label."""
    monkeypatch.setenv("TEMPORAL_API_KEY", API_KEY)

    async def coded(args: _NoInput, ctx: ToolContext) -> None:
        raise ToolError("refused", code=f"bad_key_{API_KEY}")

    health = _Outcomes()
    failure = await _failure(_registered("coded", coded), "coded", tmp_path, health)
    (outcome,) = health.outcomes
    assert outcome.error_type is not None and API_KEY not in outcome.error_type
    assert API_KEY not in _every_text(failure) and "***" in _every_text(failure)


async def test_a_failure_before_the_tool_runs_quoting_a_setting_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tool described in a file is built on its first use (an MCP server's schema read, a model made): its build
    failing with a ToolError quoting the worker's key went out as ``str(exc)``, never masked."""
    monkeypatch.setenv("ORCHESTRA_CODEC_KEY", key := new_key())

    def build() -> tuple[ToolSpec, ToolFunction]:
        raise ToolError(f"the server's schema could not be read: {_dump([key])}")

    registry = default_registry()
    registry.register(Tool(card=ToolCard(name="built", description="Built on first use."), build=build))
    failure = await _failure(registry, "built", tmp_path, _Outcomes())
    text = _every_text(failure)
    assert "schema could not be read" in text
    shown = [form for form in forms(key) if form in text]
    assert not shown, f"found in the failure: {shown}"


CAP = 4096


async def test_a_response_cut_at_the_cap_keeps_no_start_of_a_setting(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's answer past the output cap is cut, and what could begin a secret at the cut is dropped: as far as
    the call's secrets reach only, so the codec key cut in two kept its first characters in the history."""
    key = _settings(monkeypatch)[0]
    body = "config dump: " + "x" * (CAP - 13 - 12) + key + "y" * CAP
    with http_server(lambda request: (200, {"Content-Type": "text/plain"}, body.encode())) as url:
        tools = tmp_path / "tools.yaml"
        tools.write_text(textwrap.dedent(TOOLS).replace("BASE", url))
        plain = temporal_env.client
        settings = real_settings(
            plain,
            task_queue,
            tmp_path / "ws",
            registry_files=[str(tools)],
            allowed_hosts=[url[7:]],
            max_output_bytes=CAP,
        )
        encrypted: Client = await connect(settings)
        async with real_worker(encrypted, settings):
            handle = await start_plan(encrypted, task_queue, {"name": "cut", "nodes": [{"id": "cut", "tool": "echo"}]})
            record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), RUN_WITHIN_S))
    assert record.step("cut").state == StepState.COMPLETED, record.step("cut")
    text = await _history_text(plain, handle.id)
    assert "config dump: xxx" in text and key[:12] not in text


async def test_a_plans_preparation_failing_with_a_setting_in_its_error_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Preparing a plan builds each tool it names: a build failing with the worker's key in its message left the
    activity as it was, Temporal sending its message and traceback into the history in clear."""
    monkeypatch.setenv("ORCHESTRA_CODEC_KEY", key := new_key())

    def build() -> tuple[ToolSpec, ToolFunction]:
        raise ToolError(f"the server's schema could not be read: {_dump([key])}")

    registry = default_registry()
    registry.register(Tool(card=ToolCard(name="built", description="Built on first use."), build=build))
    plan = Plan.model_validate({"name": "p", "nodes": [{"id": "a", "tool": "built"}]})
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(ToolActivities(registry, Confinement(workspace=tmp_path)).prepare_plan, plan)
    text = _every_text(raised.value)
    assert "schema could not be read" in text and raised.value.__cause__ is None
    shown = [form for form in forms(key) if form in text]
    assert not shown, f"found in the failure: {shown}"
