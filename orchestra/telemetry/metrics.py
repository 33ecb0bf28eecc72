"""Metrics: the Temporal runtime's Prometheus endpoint plus the project's own metrics on the same meter.

ORCHESTRA_METRICS_ADDRESS=host:port (e.g. 0.0.0.0:9464) makes the worker serve /metrics there: the
SDK's metrics (``temporal_*``: task slots, poll latency, activity and workflow outcomes) and ours:

- ``orchestra_tool_latency`` histogram (seconds), by ``tool`` and ``outcome`` (ok / error)
- ``orchestra_tool_failures`` counter, by ``tool`` and ``error_type``
- ``orchestra_tokens`` counter, by ``kind`` (prompt / completion) and ``model``
- ``orchestra_runs`` counter, by final ``state`` (completed / error / cancelled), from the workflow

Activity metrics go through ``activity.metric_meter()`` (tagged with namespace, task queue and activity
type); the run counter through ``workflow.metric_meter()``, which the SDK skips while replaying.
A Temporal Runtime with telemetry is made once per process, before the first client connects.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from temporalio import activity
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from orchestra import environment
from orchestra.telemetry.logging import core_logging

TOOL_LATENCY = "orchestra_tool_latency"
TOOL_FAILURES = "orchestra_tool_failures"
TOKENS = "orchestra_tokens"
RUNS = "orchestra_runs"  # recorded by OrchestrationWorkflow


def worker_runtime(env: Mapping[str, str] | None = None) -> Runtime:
    """The worker's runtime: the core's log lines forwarded to Python logging (orchestra.telemetry.logging), and
    Prometheus /metrics when ORCHESTRA_METRICS_ADDRESS is set. A SettingError as ``runtime_from_env``'s."""
    return runtime_from_env(env) or Runtime(telemetry=TelemetryConfig(logging=core_logging()))


def runtime_from_env(env: Mapping[str, str] | None = None) -> Runtime | None:
    """The runtime serving ORCHESTRA_METRICS_ADDRESS, None when unset; a SettingError naming it when it cannot
    be served (a port in use, an address no interface has): the worker said 'cannot connect with these
    settings: Failed starting Prometheus exporter', as if Temporal's address were wrong."""
    address = environment.value("ORCHESTRA_METRICS_ADDRESS", env)
    if address is None:
        return None
    try:
        return Runtime(
            telemetry=TelemetryConfig(
                logging=core_logging(), metrics=PrometheusConfig(bind_address=address, durations_as_seconds=True)
            )
        )
    except ValueError as exc:
        raise environment.SettingError(f"ORCHESTRA_METRICS_ADDRESS={address!r} cannot be served: {exc}") from None


def record_tool_call(tool: str, duration: timedelta, error_type: str | None) -> None:
    if not activity.in_activity():
        return
    meter = activity.metric_meter()
    outcome = "ok" if error_type is None else "error"
    meter.create_histogram_timedelta(TOOL_LATENCY, "tool call duration, one per attempt").record(
        duration, {"tool": tool, "outcome": outcome}
    )
    if error_type is not None:
        meter.create_counter(TOOL_FAILURES, "failed tool call attempts by error type").add(
            1, {"tool": tool, "error_type": error_type}
        )


def record_tokens(prompt: int, completion: int, model: str | None) -> None:
    if not activity.in_activity():
        return
    counter = activity.metric_meter().create_counter(TOKENS, "LLM tokens used", "{token}")
    for kind, count in (("prompt", prompt), ("completion", completion)):
        if count > 0:
            counter.add(count, {"kind": kind, "model": model or "unknown"})
