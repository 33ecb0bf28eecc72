"""A tool's error of a megabyte of hostile text: masked whole on the event loop before the log cut it to 500
characters (seconds there, every activity's heartbeat held); cut first, a value the cut ran through was no
longer found and its start was logged. The log's quote is masked through a bounded margin past the cut
(``redaction.quoted_start``), and the whole message for the history off the loop."""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import secrets

import pytest
from pydantic import BaseModel
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities import tools as tool_activities
from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.errors import ToolError
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.telemetry import redaction
from orchestra.telemetry.logging import configure_logging
from orchestra.telemetry.redaction import MASK, quoted_start, redact_text
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.helpers import start_plan, worker_for

VALUE = "Zq8v-plan-chosen-key-0123456789"
# Words that make the decoders work hardest (bench/log_masking.py): every one percent-decoded, every run
# decoded as base64 at each offset.
HOSTILE = (("%41+ " + "QUJD" * 8 + " ") * ((1 << 20) // 38 + 1))[: 1 << 20]
TAIL = HOSTILE[: 1 << 18]  # past what a quote reads, and short enough to mask whole for the comparison


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


class KeyInput(BaseModel):
    key: str


async def _refused_at_length(args: KeyInput, ctx: ToolContext) -> None:
    await asyncio.sleep(0.5)  # the other step is running by then
    # A server's error: its words, the key it was sent where the log cuts, then a megabyte built to be slow.
    raise ToolError("refused: " + "x" * 482 + " " + args.key + " " + HOSTILE, code="refused")


def _registry() -> ToolRegistry:
    registry = default_registry()
    spec = ToolSpec(name="keyed", description="Refuse a key.", input_model=KeyInput, secret_args=["key"])
    registry.register(Tool(spec=spec, run=_refused_at_length))
    return registry


async def test_a_huge_hostile_error_never_holds_another_steps_heartbeat(client, task_queue, tmp_path, monkeypatch):
    """On a server: the step beside it beats every 0.1 s with a heartbeat timeout of 1 s. The error masked
    whole on the loop (the call's secret in every form, then the log's values: 3-4 s) held its heartbeats,
    and it was timed out, its one attempt lost."""
    monkeypatch.setenv("ORCHESTRA_SECRET_P135_KEY", "k135-" + secrets.token_urlsafe(18))
    monkeypatch.setattr(tool_activities, "HEARTBEAT_EVERY_S", 0.1)
    plan = {
        "name": "huge-error",
        "nodes": [
            {"id": "boom", "tool": "keyed", "args": {"key": "${secrets.P135_KEY}"}, "skip_on_error": True,
             "retry": {"max_attempts": 1}},
            {"id": "nap", "tool": "sleep", "args": {"seconds": 4}, "heartbeat_timeout_s": 1,
             "retry": {"max_attempts": 1}},
        ],
    }  # fmt: skip
    async with worker_for(client, task_queue, tmp_path, _registry()):
        record = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, plan)).result())
    assert record.step("boom").state == StepState.ERROR
    nap = record.step("nap")
    assert nap.state == StepState.COMPLETED and nap.attempts == 1, nap.error


async def test_a_plan_value_where_the_log_cuts_a_huge_error_shows_none_of_it(tmp_path):
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    call = ToolCall(tool="keyed", node_id="n", args={"key": VALUE})
    activities = ToolActivities(_registry(), Confinement(workspace=tmp_path))
    try:
        with pytest.raises(ApplicationError, match="refused"):
            await ActivityEnvironment().run(activities.run_tool, call)
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    logged = stream.getvalue()
    assert "tool failed" in logged and "x" * 400 in logged
    assert "Zq8v" not in logged


def _lower_percent(value: str) -> str:
    return "".join(f"%{byte:02x}" for byte in value.encode())


@pytest.mark.parametrize(
    "form",
    [
        lambda value: value,
        lambda value: base64.b64encode(value.encode()).decode(),
        _lower_percent,  # found only decoded: three characters a byte
    ],
    ids=["as written", "base64", "percent, lower case"],
)
@pytest.mark.parametrize("length", [31, 12_000], ids=["a key", "a 12 KB header"])
def test_a_plan_value_across_the_cut_is_masked_as_masking_all_of_it_would(form, length):
    value = (VALUE * (length // len(VALUE) + 1))[:length]
    redaction.remember(value, every_form=False)
    text = "x" * 495 + form(value) + " " + TAIL
    quoted = quoted_start(text, 500)
    assert quoted == redact_text(text)[:500] == "x" * 495 + MASK[:5]


def test_a_workers_secret_across_the_cut_is_masked_in_its_longest_forms():
    key = "sk-" + secrets.token_urlsafe(32)
    redaction.remember(key)
    for form in (key.encode().hex(":"), ", ".join(map(str, key.encode())), key):
        text = "y" * 490 + form + TAIL
        assert quoted_start(text, 500) == redact_text(text)[:500] == "y" * 490 + MASK


def test_where_masking_shrinks_a_long_text_the_quote_is_read_further_and_never_shows_a_part():
    """Values longer than the mask, back to back: the first 500 characters masked come from thousands."""
    redaction.remember(VALUE, every_form=False)
    text = (VALUE + " ") * 4_000
    quoted = quoted_start(text, 500)
    assert quoted == redact_text(text)[:500] and len(quoted) == 500
    text = "Cookie: " + TAIL.replace(" ", "_")  # a line masked to its end: nothing past the mask to show
    assert redact_text(text).startswith(quoted_start(text, 500))
    assert "%41" not in quoted_start(text, 500)
