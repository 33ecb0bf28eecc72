"""What the log and span masker holds for a plan's large values: bounded by what it keeps, and built in
about the value's own size (tracemalloc's figures, no time measured)."""

from __future__ import annotations

import asyncio
import gc
import secrets
import threading
import tracemalloc

import pytest

from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


def test_a_header_longer_than_a_level_is_remembered_in_about_its_own_size_and_masked() -> None:
    # 64 Ki characters: built into an automaton, 15 MB at the peak. Hex, which no shape of a credential the
    # masker knows holds (a random base64 text held `-sk-` and 16 more 1 time in 100, its end masked).
    value = secrets.token_hex(1 << 15)
    tracemalloc.start()
    try:
        redaction.remember({"X-Big": value}, every_form=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * len(value), peak
    assert redact(f"echo {value} {value[:-1]}") == f"echo {MASK} {value[:-1]}"


def test_values_pushed_out_are_not_kept_elsewhere() -> None:
    """Their forms were cached by value (4,096 of them, each up to a mebibyte) after the store had
    forgotten them."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(40):  # 200 Ki characters each: the store keeps the newest 5
            redaction.remember({"X-Big": secrets.token_urlsafe(150 * 1024)}, every_form=False)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 3 * redaction.MAX_WRITTEN_CHARACTERS, held


def test_a_running_calls_values_are_not_pushed_out_by_others_nor_till_its_spans_are_exported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Let go of when the call ended, its spans, exported seconds later, showed them in clear once 2,048
    other values were remembered meanwhile."""
    now = [1000.0]
    monkeypatch.setattr(redaction, "_now", lambda: now[0])
    first = "X-First: " + secrets.token_urlsafe(24)
    with redaction.in_use():
        redaction.remember({"X-First": first}, every_form=False)
        # Other calls', three times the bound: the masker's automata are rebuilt with the values kept only.
        for batch in range(3 * redaction.MAX_REMEMBERED // 64):
            redaction.remember(
                *(f"other-{batch}-{n}-" + secrets.token_urlsafe(12) for n in range(64)), every_form=False
            )
        assert redact(f"echo {first}") == f"echo {MASK}"
    now[0] += redaction.LINGER_S - 1  # ended, its spans not yet exported
    redaction.remember("one-more-" + secrets.token_urlsafe(12), every_form=False)
    assert first in redaction._written
    now[0] += 1
    redaction.remember("one-more-" + secrets.token_urlsafe(12), every_form=False)
    assert len(redaction._written) == redaction.MAX_REMEMBERED  # once no call uses it, it may be pushed out
    assert first not in redaction._written


async def test_a_calls_values_a_thread_remembers_after_the_call_was_cancelled_are_pinned_by_nothing() -> None:
    """Cancelled while a thread remembered its arguments (run_tool's _arguments), the call let go of its
    values before the thread pinned them: pinned for ever, past every bound."""
    late = "X-Late: " + secrets.token_urlsafe(24)
    started, go_on, done = threading.Event(), threading.Event(), threading.Event()

    def remember_late() -> None:
        started.set()
        go_on.wait(10)
        redaction.remember({"X-Late": late}, every_form=False)
        done.set()

    async def call() -> None:
        with redaction.in_use():
            await asyncio.to_thread(remember_late)

    task = asyncio.create_task(call())
    await asyncio.to_thread(started.wait, 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    go_on.set()
    assert await asyncio.to_thread(done.wait, 10)
    assert redact(late) == MASK
    redaction.remember(
        *(f"other-{n}-" + secrets.token_urlsafe(12) for n in range(redaction.MAX_REMEMBERED)), every_form=False
    )
    assert late not in redaction._written  # pushed out as any value no call uses


def test_calls_that_remember_nothing_leave_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(redaction, "_now", lambda: now[0])
    with redaction.in_use():
        redaction.remember({"X-Key": "X-Key: " + secrets.token_urlsafe(12)}, every_form=False)
    for _ in range(1000):
        now[0] += 1
        with redaction.in_use():
            pass
    assert not redaction._ended and not redaction._pins
