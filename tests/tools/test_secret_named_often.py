"""A step's arguments naming one secret many times resolved to that secret once for each, and every one was measured
in every form for the masks (longest_form, 1.4 ms each, on the worker's event loop): a header naming a secret 10,000
times, 140 KB of plan, held every activity of the worker 14 s, and a plan holds millions. Each secret counts once;
and the secrets written in count towards ORCHESTRA_MAX_RESOLVED_ARGS_BYTES, as the outputs references read do."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

import activities.tools
from orchestra.record import StepState
from orchestra.resolved_args import SETTING
from orchestra.secrets import longest_form
from tests.helpers import http_server, run_plan, run_plan_to_failure

TOKEN = "tok-3f9a-very-secret-value"
TIMES = 500


def echo_headers(request: Any) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps({"key": request.headers.get("X-Key")}).encode()


async def test_a_secret_named_many_times_is_measured_once(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_API_TOKEN", TOKEN)
    measured: list[int] = []

    def counted(secrets: Iterable[str]) -> int:
        secrets = list(secrets)
        measured.append(len(secrets))
        return longest_form(secrets)

    monkeypatch.setattr(activities.tools, "longest_form", counted)
    with http_server(echo_headers) as url:
        header = " ".join(["${secrets.API_TOKEN}"] * TIMES)
        plan = {"name": "named-often", "nodes": [{"id": "call", "tool": "http_request",
                                                  "args": {"url": url, "headers": {"X-Key": header}}}]}  # fmt: skip
        record = await run_plan(client, task_queue, tmp_path, plan)
    step = record.step("call")
    assert step.state == StepState.COMPLETED, step
    assert "*** ***" in str(step.output) and TOKEN not in str(step.output), "the server got it; the output is masked"
    assert measured and max(measured) == 1, f"the secret was measured {max(measured)} times over"


async def test_the_secrets_written_in_count_towards_the_bound(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_API_TOKEN", TOKEN)
    monkeypatch.setenv(SETTING, "10000")  # the plan's header is 9,500 characters, 13,500 with the secret in
    header = " ".join(["${secrets.API_TOKEN}"] * TIMES)
    plan = {"name": "named-often", "nodes": [{"id": "call", "tool": "http_request",
                                              "args": {"url": "http://127.0.0.1:9/", "headers": {"X-Key": header}}}]}  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    error = record.step("call").error
    assert error is not None and error.code == "arguments_too_large" and "with the secrets it names" in error.message
    assert TOKEN not in error.message and record.step("call").attempts == 1
