"""A store's refusal quoting one of the worker's secret settings (an S3-compatible server echoing the AWS_SESSION_TOKEN
it was sent as X-Amz-Security-Token) reaches neither the run's history nor its failure: prepare_stored_plan and
load_value let the store's error out as it was, its cause chain too. Real S3 (moto, its own process) behind a real
loopback proxy that refuses the reads, a real worker, a plan started by reference, the whole history read back."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import by_reference
from orchestra.settings import Settings
from tests.helpers import payload_text, settings_for, start_plan
from tests.masked_words import assert_masked
from tests.storage.conftest import client_with, moto_endpoint, s3_settings  # noqa: F401 (fixtures)
from tests.storage.faulty_s3 import Answer, faulty_s3
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

TOKEN = "FwoGZXIvYXdzEJr//////////wEaDOsession+token/7Qx9ZpL2wK=="


def refusing_echo() -> bytes:
    said = f"The provided token {TOKEN} is malformed or otherwise invalid; token given: {TOKEN.encode().hex()}"
    return f"<Error><Code>InvalidToken</Code><Message>{said}</Message></Error>".encode()


def plan(steps: int) -> RunRequest:
    nodes = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(steps)]
    return RunRequest(plan=parse_plan({"name": "by-reference", "nodes": nodes}))


@pytest.mark.parametrize("refused_read", [1, 2], ids=["the-workflows-read", "prepare-stored-plan"])
async def test_a_stores_refusal_quoting_the_session_token_is_masked_in_the_history(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    s3_settings: Settings,  # noqa: F811
    refused_read: int,
) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    assert s3_settings.s3_endpoint_url is not None
    reads: Counter[str] = Counter()

    def refusing_a_read(method: str, path: str) -> Answer:
        """Each stored piece read ``refused_read`` times before, answered with a refusal echoing the token: the
        workflow reads each piece first (load_value), prepare_stored_plan then reads them all again."""
        if method != "GET":
            return None
        reads[path] += 1
        return (403, refusing_echo()) if reads[path] >= refused_read else None

    workflow_id = f"test-{uuid.uuid4()}"
    starter = client_with(client, s3_settings)
    request = await by_reference(starter, plan(12), workflow_id, Settings(plan_piece_steps=4))
    assert request.steps_stored, "the plan is started by reference"
    with faulty_s3(s3_settings.s3_endpoint_url, refusing_a_read) as (proxy, seen):
        proxied = client_with(client, s3_settings.model_copy(update={"s3_endpoint_url": proxy}))
        async with create_worker(proxied, settings_for(task_queue, tmp_path)):
            handle = await starter.start_workflow(
                OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
            )
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            history = payload_text(
                json.loads((await client.get_workflow_handle(workflow_id).fetch_history()).to_json())
            )
    assert any(method == "GET" for method, _ in seen), seen
    assert "InvalidToken" in history or "malformed" in history, "the store's own words are kept"
    assert_masked(history, TOKEN, mask="***")


async def test_a_stores_refusal_of_a_steps_stored_input_is_masked_in_the_history(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    s3_settings: Settings,  # noqa: F811
) -> None:
    """A step whose input is an earlier step's output stored in S3 (run_tool reads it back): the read refused. Its
    failure was masked already, but said only the SDK's wrapper ('retrieve failed'); now S3's reason, masked, too."""
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    assert s3_settings.s3_endpoint_url is not None
    settings = settings_for(task_queue, tmp_path / "ws")
    settings.workspace.mkdir(parents=True)
    (settings.workspace / "big.txt").write_text("b" * 40_000)  # over the threshold: the output is stored
    nodes = [
        {"id": "r", "tool": "read_file", "args": {"path": "big.txt"}},
        {"id": "w", "tool": "write_file", "args": {"path": "copy.txt", "content": "${r.output.content}"}},
    ]
    refused = lambda method, path: (403, refusing_echo()) if method == "GET" else None  # noqa: E731
    with faulty_s3(s3_settings.s3_endpoint_url, refused) as (proxy, seen):
        proxied = client_with(client, s3_settings.model_copy(update={"s3_endpoint_url": proxy}))
        async with create_worker(proxied, settings):
            handle = await start_plan(proxied, task_queue, {"name": "copy", "nodes": nodes})
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            history = payload_text(json.loads((await client.get_workflow_handle(handle.id).fetch_history()).to_json()))
    assert any(method == "GET" for method, _ in seen), seen
    assert "InvalidToken" in history or "malformed" in history, "the store's own words are kept"
    assert_masked(history, TOKEN, mask="***")
