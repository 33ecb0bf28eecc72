"""What the history keeps of a failed call: every part of the error masked and bounded, however it failed
(the tool raising, or its output failing to be read after it ran)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable

import pytest
from pydantic import BaseModel, field_serializer
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities import tools as tool_activities
from activities.health import HealthReporter
from activities.tools import KEPT_ERROR_CHARS, ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.health import ToolOutcome
from orchestra.registry import ToolRegistry, default_registry
from orchestra.secrets import Masker, mask_secrets
from orchestra.telemetry import redaction
from orchestra.tool_spec import Tool, ToolContext, ToolSpec

SECRET = "p145-" + secrets.token_hex(12)


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_P145_KEY", SECRET)
    redaction.forget_all()
    yield
    redaction.forget_all()


class KeyInput(BaseModel):
    key: str


class Echo(BaseModel):
    key: str

    @field_serializer("key")
    def _refuse(self, key: str) -> str:
        raise ValueError(f"cannot write {key}")


async def _bad_output(args: KeyInput, ctx: ToolContext) -> Echo:
    return Echo(key=args.key)


async def _huge_error(args: KeyInput, ctx: ToolContext) -> None:
    raise RuntimeError("refused " + args.key + " " + "x" * (1 << 20) + args.key)


def _named_error(args: KeyInput, ctx: ToolContext) -> None:
    raise type(f"Refused_{args.key}", (Exception,), {})("no")


async def _named(args: KeyInput, ctx: ToolContext) -> None:
    _named_error(args, ctx)


class Unreadable(Exception):
    """An error whose message cannot be read: reading it raises, quoting what it was given."""

    def __str__(self) -> str:
        raise Unreadable(*self.args)


async def _unreadable_error(args: KeyInput, ctx: ToolContext) -> None:
    raise Unreadable("refused " + args.key)


async def _unreadable_timeout(args: KeyInput, ctx: ToolContext) -> None:
    raise type("Unreadable", (TimeoutError,), {"__str__": Unreadable.__str__})("refused " + args.key)


def _registry() -> ToolRegistry:
    registry = default_registry()
    tools = [("bad_output", _bad_output), ("huge_error", _huge_error), ("named_error", _named)]
    tools += [("unreadable_error", _unreadable_error), ("unreadable_timeout", _unreadable_timeout)]
    for name, run in tools:
        spec = ToolSpec(name=name, description="Fail with a key.", input_model=KeyInput, secret_args=["key"])
        registry.register(Tool(spec=spec, run=run))
    return registry


async def _failure(tool: str, tmp_path, health: HealthReporter | None = None) -> ApplicationError:
    call = ToolCall(tool=tool, node_id="n", args={"key": "${secrets.P145_KEY}"}, allow_secrets=True)
    activities = ToolActivities(_registry(), Confinement(workspace=tmp_path), health)
    with pytest.raises(Exception) as raised:
        await ActivityEnvironment().run(activities.run_tool, call)
    assert isinstance(raised.value, ApplicationError), repr(raised.value)
    return raised.value


def _every_text(error: BaseException | None) -> str:
    """All a failure carries into the history: its message, its details, its type, down its cause chain."""
    texts = []
    while error is not None:
        texts += [
            str(error),
            type(error).__name__,
            repr(getattr(error, "details", ())),
            str(getattr(error, "type", "")),
        ]
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n".join(texts)


@pytest.mark.parametrize("tool", ["bad_output", "huge_error", "named_error", "unreadable_error", "unreadable_timeout"])
async def test_no_part_of_a_failed_calls_error_shows_its_secret(tool, tmp_path):
    """An output its tool returned that fails to be written (after the run: raised as it was, its message
    quoting the key and its cause chain with it); an exception class named after the key; an exception
    whose message raises when read, quoting the key (it left the handler as it was, chain and all)."""
    failure = await _failure(tool, tmp_path)
    assert SECRET not in _every_text(failure)
    assert failure.__cause__ is None and failure.__suppress_context__


async def test_a_huge_error_is_kept_masked_and_cut(tmp_path):
    failure = await _failure("huge_error", tmp_path)
    assert len(failure.message) <= KEPT_ERROR_CHARS + 40 and failure.message.startswith("RuntimeError: refused ***")


class _Outcomes(HealthReporter):
    """What the worker would send the tool health workflow, kept here."""

    def __init__(self) -> None:
        self.outcomes: list[ToolOutcome] = []

    def add(self, outcome: ToolOutcome) -> None:
        self.outcomes.append(outcome)


async def test_a_failed_calls_error_type_is_masked_for_the_tool_health_history(tmp_path):
    """An exception class named after the key: its name is the outcome's error type, which the tool
    health workflow keeps in its history (and the metrics in a label)."""
    health = _Outcomes()
    await _failure("named_error", tmp_path, health)
    (outcome,) = health.outcomes
    assert outcome.error_type is not None and SECRET not in outcome.error_type and "***" in outcome.error_type


_FORMS: dict[str, Callable[[str], str]] = {
    "as written": lambda key: key,
    "base64": lambda key: base64.b64encode(key.encode()).decode(),
    "hex": lambda key: key.encode().hex(),
}


class _Counted(Masker):
    given = 0

    def text(self, text: str) -> str:
        _Counted.given += len(text)
        return super().text(text)


@pytest.mark.parametrize("form", list(_FORMS))
async def test_a_huge_errors_secret_across_the_cut_is_masked_reading_only_near_the_cut(form, tmp_path, monkeypatch):
    """The history keeps a huge error's first 64 KiB as masking it whole then cutting would give them, but masks
    only near the cut: masked whole, a megabyte's error took seconds with a worker's secret (6.7 s; the step
    beside it missed its heartbeats under load)."""
    monkeypatch.setattr(tool_activities, "Masker", _Counted)
    _Counted.given = 0
    head = "RuntimeError: refused "

    async def across_the_cut(args: KeyInput, ctx: ToolContext) -> None:
        raise RuntimeError(
            "refused " + "x" * (KEPT_ERROR_CHARS - len(head) - 4) + _FORMS[form](args.key) + " " * (1 << 20)
        )

    registry = _registry()
    spec = ToolSpec(name="across_the_cut", description="Fail with a key.", input_model=KeyInput, secret_args=["key"])
    registry.register(Tool(spec=spec, run=across_the_cut))
    call = ToolCall(tool="across_the_cut", node_id="n", args={"key": "${secrets.P145_KEY}"}, allow_secrets=True)
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(ToolActivities(registry, Confinement(workspace=tmp_path)).run_tool, call)
    kept = raised.value.message.split("... (")[0]
    whole = mask_secrets(
        head + "x" * (KEPT_ERROR_CHARS - len(head) - 4) + _FORMS[form](SECRET) + " " * (1 << 20), [SECRET]
    )
    assert kept == whole[: len(kept)] and "***" in kept[-8:]
    assert 0 < _Counted.given < (1 << 20) // 8
