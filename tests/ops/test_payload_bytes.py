"""The size a plan's checks measure without the converter (orchestra.payload_bytes, so that `validate` and
`plan --out` import no Temporal) is the size of the payload the real converter writes, byte for byte: on
plans, their schedules, runs' requests, tool calls and plain JSON values, with non-ASCII text, escapes,
large and odd numbers, and models with and without their defaults."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter

from orchestra.calls import RunRequest, ToolCall
from orchestra.converter import PayloadConverter
from orchestra.limits import payload_size
from orchestra.payload_bytes import payload_data
from orchestra.plan import Plan, parse_plan
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

REGISTRY = default_registry()
CONVERTER = PayloadConverter()
VALUES = 1000  # of each kind
CHARACTERS = string.printable + '€éß中文😀\u2028\u2029\x00\x7f"\\/'
NUMBERS: list[Any] = [0, -1, 2**63, -(2**64) - 1, 10**30, 0.1, -0.0, 1e300, 1.5e-300, 123456.789, True, False]


def text(rng: random.Random) -> str:
    return "".join(rng.choice(CHARACTERS) for _ in range(rng.randrange(0, 40)))


def json_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(6 if depth < 4 else 3)
    if kind == 0:
        return text(rng)
    if kind == 1:
        return rng.choice(NUMBERS) if rng.random() < 0.5 else rng.uniform(-1e9, 1e9)
    if kind == 2:
        return None
    if kind == 3:
        return [json_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {text(rng): json_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def plan(rng: random.Random) -> Plan:
    nodes: list[dict[str, Any]] = []
    for i in range(rng.randrange(1, 8)):
        node: dict[str, Any] = {"id": f"n{i}", "tool": "write_file", "args": {"path": f"{i}.txt", "content": text(rng)}}
        if i and rng.random() < 0.5:
            node["depends_on"] = [f"n{rng.randrange(i)}"]
        if rng.random() < 0.3:
            node["retry"] = {"max_attempts": rng.randrange(1, 5)}
        if rng.random() < 0.3:
            node["timeout_s"] = rng.choice([1, 2.5, 60])
        if rng.random() < 0.3:
            node["description"] = text(rng)
        nodes.append(node)
    fields: dict[str, Any] = {"name": rng.choice(["plan", "a plan", "café"]), "nodes": nodes}
    if rng.random() < 0.5:
        fields["max_parallel"] = rng.randrange(1, 16)
    if rng.random() < 0.5:
        fields["inputs"] = {"x": json_value(rng)}
    return parse_plan(fields)


def call(rng: random.Random) -> ToolCall:
    return ToolCall(
        tool="write_file",
        args={text(rng): json_value(rng) for _ in range(rng.randrange(4))},
        node_id=f"n{rng.randrange(10)}",
        allow_secrets=rng.random() < 0.5,
        undo_reads=["path"] if rng.random() < 0.5 else [],
    )


def written(value: Any) -> bytes:
    [payload] = CONVERTER.to_payloads([value])
    assert payload.metadata["encoding"] == b"json/plain"
    return payload.data


KINDS: dict[str, Callable[[random.Random], Any]] = {
    "plan": plan,
    "schedule": lambda rng: prepare_plan(plan(rng), REGISTRY).schedule(),
    "run request": lambda rng: RunRequest(plan=plan(rng), task=text(rng) or None, task_secrets=rng.random() < 0.5),
    "tool call": call,
    "json value": lambda rng: [json_value(rng)],  # in a list: a bare None is the converter's binary/null
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_size_measured_is_the_payload_the_converter_writes(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(VALUES):
        value = KINDS[kind](rng)
        assert payload_data(value) == written(value), value
        if isinstance(value, BaseModel):
            assert payload_size(value) == len(written(value))


@pytest.mark.parametrize("kind", ["tool call", "json value"])
def test_a_value_sent_whole_is_written_as_the_sdk_writes_it(kind: str) -> None:
    """The converter writes payload_data's bytes; for a value that keeps its defaults, those are the SDK's
    own pydantic converter's, so that what orchestra writes and what the SDK would have written agree."""
    sdk = PydanticJSONPlainPayloadConverter()
    rng = random.Random(kind)
    for _ in range(VALUES):
        value = KINDS[kind](rng)
        sent = sdk.to_payload(value)
        assert sent is not None and written(value) == sent.data, value
