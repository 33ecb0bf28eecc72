"""An OpenAI-compatible endpoint's refusal quoting what it was given (the Authorization header, the worker's other
secret settings a gateway shares) reaches neither the run's history nor its failure: the LLM error went out as
``str(exc)``, masked only by what the log masker happened to remember. A real scripted endpoint on loopback, a real
worker, the whole history read back."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.llm import LLMConfig
from tests.agent.support import start_agent
from tests.helpers import payload_text, settings_for
from tests.llm_server import completion, scripted
from tests.masked_words import assert_masked
from worker import create_worker
from workflows.task import TaskRequest, TaskWorkflow

API_KEY = "sk-gateway-4f1d9c2b7e8a6d3c5b0a9f8e7d6c5b4a"
PASSPHRASE = "the shared gateway pass phrase 42"
IDENTIFIER = "gateway_token_7Qx9ZpL2wK"  # a secret a step id may be


def refusing(*secrets: str) -> tuple[int, dict[str, str], bytes]:
    forms = [f"{s} {json.dumps(s)} {base64.b64encode(s.encode()).decode()} {s.encode().hex()}" for s in secrets]
    body = json.dumps({"error": {"message": f"invalid credentials, got Authorization: Bearer {' | '.join(forms)}"}})
    return 401, {"Content-Type": "application/json"}, body.encode()


async def test_an_agent_steps_refusal_quoting_the_key_and_settings_is_masked_in_the_history(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_GATEWAY", PASSPHRASE)
    monkeypatch.setenv("ORCHESTRA_LLM_API_KEY", API_KEY)
    with scripted([refusing(API_KEY, PASSPHRASE)]) as (base, _):
        llm = LLMConfig(base_url=base, model="scripted", api_key=API_KEY)
        async with create_worker(client, settings_for(task_queue, tmp_path), llm=llm):
            handle = await start_agent(client, task_queue, tools=["read_file"])
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    assert "invalid credentials" in history, "the refusal's own words are kept"
    assert_masked(history, API_KEY, PASSPHRASE, mask="***")


def repeating_a_step_id(secret: str) -> tuple[int, dict[str, str], bytes]:
    """A model's plan whose two steps are both named by ``secret`` (which it read somewhere): never valid."""
    step = {"id": secret, "action": "fetch the page", "capability": "fetch", "data": []}
    return completion(json.dumps({"steps": [step, step]}))


@pytest.mark.parametrize("answer", [refusing(API_KEY, PASSPHRASE), repeating_a_step_id(IDENTIFIER)],
                         ids=["refusal", "model-answer"])  # fmt: skip
async def test_the_planners_llm_failure_quoting_the_settings_is_masked_in_the_history(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: Any
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_GATEWAY", PASSPHRASE)
    monkeypatch.setenv("ORCHESTRA_SECRET_STEP", IDENTIFIER)
    monkeypatch.setenv("ORCHESTRA_LLM_API_KEY", API_KEY)
    with scripted([answer]) as (base, _):
        monkeypatch.setenv("ORCHESTRA_LLM_BASE_URL", base)  # the planner's model is the environment's
        monkeypatch.setenv("ORCHESTRA_LLM_MODEL", "scripted")
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await client.start_workflow(
                TaskWorkflow.run,
                TaskRequest(task="get the title of http://127.0.0.1:9/x", backend="llm", execute=False),
                id=f"task-{uuid.uuid4()}",
                task_queue=task_queue,
            )
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    assert "invalid credentials" in history or "step ids must be unique" in history, "the failure's words are kept"
    assert_masked(history, API_KEY, PASSPHRASE, IDENTIFIER, mask="***")
