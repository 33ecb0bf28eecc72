"""The client's check of a plan (check_limits) compared the plan's JSON with the storage limit, with no room for what
the store counts around it (metadata, the codec's nonce, tag and key id: ENVELOPE_BYTES): a plan within that of the
limit passed, and its start then failed on the store's own StoredPayloadTooLarge, a traceback naming no part of the
plan (found by attack287). Now a plan the check passes is one the store takes when the run starts, and one it refuses
is refused by the check, saying why."""

from __future__ import annotations

import uuid
from pathlib import Path

from temporalio.client import Client

from orchestra.calls import RunRequest, ToolCall
from orchestra.errors import PlanValidationError
from orchestra.limits import check_limits, payload_size
from orchestra.payload_bytes import ENVELOPE_BYTES, payload_data
from orchestra.plan import Plan, parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.validation import prepare_plan
from tests.workflows.test_too_large_to_store import bounded
from workflows.orchestration import OrchestrationWorkflow

LIMIT = 40_000  # over the storage threshold (32 KiB): the run's request is stored, and the store measures it
MARGINS = (1, 100, ENVELOPE_BYTES - 1, ENVELOPE_BYTES + 1, 3_000)  # bytes of JSON under the limit
REGISTRY = default_registry()


def _plan(content: str) -> Plan:
    return parse_plan(
        {"name": "near", "nodes": [{"id": "w", "tool": "write_file", "args": {"path": "a.txt", "content": content}}]}
    )


def _plan_of(size: int) -> Plan:
    """A plan whose request (what the client sends) is ``size`` bytes as the converter writes it."""
    plan = _plan("c" * (size - payload_size(RunRequest(plan=_plan("")))))
    assert payload_size(RunRequest(plan=plan)) == size
    return plan


def _refusal(plan: Plan, settings: Settings) -> str | None:
    try:
        check_limits(prepare_plan(plan, REGISTRY), settings)
    except PlanValidationError as exc:
        return "; ".join(exc.problems)
    return None


async def test_a_plan_the_check_passes_is_stored_when_its_run_starts(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    limited, settings = bounded(client, storage_settings, task_queue, tmp_path, LIMIT)
    outcomes: dict[int, str] = {}
    for margin in MARGINS:
        plan = _plan_of(LIMIT - margin)
        refused = _refusal(plan, settings)
        if refused is not None:
            assert f"{LIMIT:,} bytes" in refused and f"{ENVELOPE_BYTES:,} bytes" in refused, refused
            outcomes[margin] = refused
            continue
        # No worker: the start alone stores the request (before, StoredPayloadTooLarge raised here).
        handle = await limited.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(RunRequest(plan=plan)), id=f"near-{uuid.uuid4()}",
            task_queue=task_queue,
        )  # fmt: skip
        await handle.terminate("only its start was tested")
        outcomes[margin] = "started"
    assert outcomes[1].startswith(f"the plan is {LIMIT - 1:,} bytes as one value"), outcomes
    assert outcomes[3_000] == "started", outcomes


def test_a_nodes_call_near_the_limit_is_refused_naming_the_node() -> None:
    plan = _plan("c" * 30_000)
    args = len(payload_data(plan.nodes[0].args))
    call = payload_size(ToolCall(tool="write_file", args=plan.nodes[0].args, node_id="w"))

    def node_problem(limit: int) -> str | None:
        refused = _refusal(plan, Settings(storage_max_payload_bytes=limit)) or ""
        return next((p for p in refused.split("; the ") if p.startswith("node 'w'")), None)

    said = node_problem(call + ENVELOPE_BYTES - 1)
    assert said is not None and said.startswith(f"node 'w': its arguments are {args:,} bytes, its call {call:,}"), said
    assert node_problem(call + ENVELOPE_BYTES) is None
