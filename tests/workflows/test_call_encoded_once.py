"""A step's call is encoded once for the checks made before it is sent (its size against the run's limit, and
against the sending worker's): each was an encoding of the call, five for every step, paid again by every
replay of the run, in workflow tasks the SDK's deadlock detector gives 2 s. The counts still agree with the
payload the converter writes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import orchestra.converter
import orchestra.limits
from orchestra.calls import CallSizes, ToolCall
from orchestra.converter import PayloadConverter
from orchestra.payload_bytes import ENVELOPE_BYTES, payload_data
from orchestra.step_scope import StepScope
from orchestra.validation import PlanSchedule
from workflows.tool_calls import sendable_call
from workflows.value_sizes import sent_size

LIMIT = 2 * 1024 * 1024


def _call_made(monkeypatch: pytest.MonkeyPatch, args: dict[str, Any], limit: int) -> tuple[ToolCall, int]:
    """The call sendable_call makes of ``args``, and how many times it encoded a value."""
    encoded = 0
    dump = ToolCall.model_dump_json

    def counting_payload(value: Any) -> bytes:
        nonlocal encoded
        encoded += 1
        return payload_data(value)

    def counting_dump(self: ToolCall, **kwargs: Any) -> str:
        nonlocal encoded
        encoded += 1
        return dump(self, **kwargs)

    # where the converter and the size checks write a payload's bytes (orchestra.payload_bytes)
    monkeypatch.setattr(orchestra.converter, "payload_data", counting_payload)
    monkeypatch.setattr(orchestra.limits, "payload_data", counting_payload)
    monkeypatch.setattr(ToolCall, "model_dump_json", counting_dump)
    scope = StepScope({}, PlanSchedule(deps={"a": []}, phases=[["a"]]), set(), False)
    sizes = CallSizes(value_limit=limit, limit_name="the limit", read_the_senders=True)
    call = asyncio.run(sendable_call("echo", args, "a", scope, sizes, secrets=False))
    monkeypatch.undo()
    return call, encoded


def test_a_steps_call_is_encoded_once_for_its_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    call, encoded = _call_made(monkeypatch, {"message": "hello €"}, LIMIT)
    assert call.args == {"message": "hello €"}
    assert encoded == 1, f"the call was encoded {encoded} times for its checks"


@pytest.mark.parametrize(
    "args",
    [
        {"message": "plain"},
        {"message": "€" * 50 + "😀" * 20},
        {"message": 'quotes " and \\ and \n and \u0001'},
        {"n": 10**30, "f": 1.5e300, "list": [None, True, {"k": []}]},
    ],
)
def test_characters_are_never_more_than_the_payloads_bytes(args: dict[str, Any]) -> None:
    """Why the characters need not be counted while the payload fits: the call's payload is its JSON in UTF-8."""
    call = ToolCall(tool="echo", args=args, node_id="a")
    [payload] = PayloadConverter().to_payloads([call])
    assert payload.data == call.model_dump_json().encode()
    # A limit with room for the envelope: a call within it of the limit is counted with it (ENVELOPE_PATCH).
    assert sent_size(call, len(payload.data) + ENVELOPE_BYTES) == len(payload.data)
