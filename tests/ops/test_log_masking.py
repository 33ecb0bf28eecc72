"""The log and span masker over the thousands of values a plan may choose: each found, whatever their
number, overlaps included, in one pass of a few patterns built once per change (bench/log_masking.py)."""

from __future__ import annotations

import base64
import concurrent.futures
import json
import secrets
import threading
from collections.abc import Iterable
from urllib.parse import quote

import pytest

from orchestra import literal_set
from orchestra.literal_set import LiteralSet, masked
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


def test_every_value_a_plan_chose_and_every_form_of_the_workers_own_are_masked_among_thousands():
    key = "key-" + secrets.token_urlsafe(24)
    redaction.remember(key)
    chosen = [f"hv{n}-" + secrets.token_urlsafe(n % 40 + 4) for n in range(redaction.MAX_REMEMBERED)]
    for start in range(0, len(chosen), 100):  # added step by step, as a run's calls do, lines logged between
        redaction.remember(*chosen[start : start + 100], every_form=False)
        assert redact(f"sent {chosen[start]}") == f"sent {MASK}"
    text = " | ".join(chosen)
    assert redact(text) == " | ".join([MASK] * len(chosen))
    forms = [key, quote(key, safe=""), base64.b64encode(key.encode()).decode(), key.encode().hex(), json.dumps(key)]
    for form in forms:
        masked = redact(f"the server said {form}.")
        assert key not in masked and form not in masked, (form, masked)


def test_values_that_overlap_are_masked_whole_not_one_hiding_the_start_of_the_other():
    """Masked one after the other, the one found first left the other's end in clear."""
    redaction.remember("tail-of-A-secretBBBBBB", "A-secret-head-xx-tail-of-A", every_form=False)
    assert redact("A-secret-head-xx-tail-of-A-secretBBBBBB end") == f"{MASK} end"
    redaction.remember("worker-key-12345678")
    redaction.remember("xx-worker-key", every_form=False)
    assert redact("[xx-worker-key-12345678]") == f"[{MASK}]"


def test_a_value_forgotten_stops_weighing_on_the_masker_once_most_are_forgotten():
    redaction.remember(*(f"first-{n:05}" for n in range(redaction.MAX_REMEMBERED)), every_form=False)
    redaction.remember(*(f"second-{n:05}" for n in range(redaction.MAX_REMEMBERED)), every_form=False)
    assert redact("second-00000 second-02047") == f"{MASK} {MASK}"
    forms = len(redaction._written_forms("second-00000").forms)  # as written, and its UTF-16 in either order
    assert len(redaction._plan_values) <= 2 * redaction.MAX_REMEMBERED * forms + 64  # the first ones rebuilt away


def longest_from(spans: list[tuple[int, int]], start: int) -> int:
    return max(end for begin, end in spans if begin == start)


def test_values_each_the_one_before_and_a_character_more_compile_and_the_longest_is_found():
    """Each such value a choice nested in the last: past 64, a branch is a pattern of its own (a plain
    alternation there tried every value at every place: 3.4 s for 1,000 characters with 2,048 values)."""
    values = ["a" * n + "!" for n in range(6, 400)] + ["a" * n for n in range(6, 400)]
    found = LiteralSet(values)
    text = "x" + "a" * 250 + "!y"
    assert longest_from(found.spans(text), 1) == 252 and found.spans("a" * 6) == [(0, 6)]
    assert longest_from(found.spans("a" * 399 + "!"), 0) == 400
    assert masked(text, found.spans(text), "*") == "x*y"
    assert LiteralSet(["abcdef", "abcdefgh", "abcxyz"]).spans("abcdefgh abcxyz") == [(0, 8), (9, 15)]


class _HeldCompiling(LiteralSet):
    """A LiteralSet whose adding waits until the test lets it go: a compile as long as the test likes."""

    def __init__(self) -> None:
        self.compiling, self.go_on = threading.Event(), threading.Event()
        self.go_on.set()  # LiteralSet's own __init__ adds nothing; held only once the test begins
        super().__init__()
        self.go_on.clear()
        self.compiling.clear()

    def add(self, values: Iterable[str]) -> None:
        self.compiling.set()
        self.go_on.wait(30)
        super().add(values)


def test_other_threads_lines_are_masked_while_a_plan_value_compiles_not_held_until_it_is():
    """remember held the log's lock while a level compiled (~0.2-0.75 s at 2,048 values): every other
    thread's log line and span waited for it."""
    redaction.remember("own-key-" + secrets.token_urlsafe(16))
    held = redaction._plan_values = _HeldCompiling()
    redaction._masker = None  # made with the set replaced (as forget_all, the one place that replaces it, does)
    remembering = threading.Thread(target=redaction.remember, args=("X-Plan: chosen-1",), kwargs={"every_form": False})
    remembering.start()
    try:
        assert held.compiling.wait(30)
        line = concurrent.futures.ThreadPoolExecutor(1).submit(redact, "a line of another step")
        assert line.result(timeout=30) == "a line of another step"
    finally:
        held.go_on.set()
        remembering.join(30)
    assert redact("sent X-Plan: chosen-1") == f"sent {MASK}"


def test_no_value_added_or_forgotten_builds_the_whole_set_at_once():
    """A remember that merged every level into one built all 2,048 values on the remembering thread
    (0.2-0.75 s as a regex, 0.14 s as an automaton): a level stops growing at _LEVEL_SIZE characters."""
    values = [f"X-Plan-{n}: " + secrets.token_urlsafe(24) for n in range(redaction.MAX_REMEMBERED)]
    found = LiteralSet()
    for value in values:
        found.add([value])
    assert max(level.size for level in found._levels) <= literal_set._LEVEL_SIZE
    found.keep_only(values[-100:])
    assert len(found) == 100 and max(level.size for level in found._levels) <= literal_set._LEVEL_SIZE
    found.keep_only(values[-10:])
    assert len(found) == 10 and masked(values[-1], found.spans(values[-1]), "*") == "*"


def test_a_value_a_plan_chose_is_masked_as_an_error_or_an_echoed_body_quotes_it():
    """Masked as written only, a header value was in clear in an exception quoting it (``repr``: ``\\xc3``,
    ``\\'``), in a body echoing the headers as JSON (``\\u00f6``, ``\\"``) and percent-encoded."""
    value = "Bearer tök\"en/with\\ it's"
    redaction.remember({"Authorization": value}, every_form=False)
    quoted = [repr(value), repr(value.encode()), json.dumps(value), json.dumps(value, ensure_ascii=False)]
    for form in [*quoted, quote(value, safe=""), repr({"authorization": value})]:
        masked_line = redact(f"echo {form}")
        assert "tök" not in masked_line and "t\\xc3" not in masked_line and "t\\u00f6" not in masked_line, form
        assert "en/with" not in masked_line and "en%2Fwith" not in masked_line, form


def test_a_plans_values_are_kept_by_their_size_too_not_only_their_number(monkeypatch):
    """2,048 headers of a megabyte were all kept, and the automata built of them held gigabytes."""
    monkeypatch.setattr(redaction, "MAX_WRITTEN_CHARACTERS", 50_000)
    big = "B" + secrets.token_hex(20_000)
    redaction.remember(big, every_form=False)
    assert redact(big) == MASK
    small = [f"small-{n}-" + secrets.token_hex(100) for n in range(20)]  # their forms (x5: UTF-16) within the bound
    redaction.remember(*small, every_form=False)
    assert redact(big) == big and redact(small[0]) == MASK  # the oldest pushed out, by size
    assert redaction._plan_values.size < len(big)  # and rebuilt without it


def test_a_plans_values_are_kept_by_the_size_of_the_forms_built_not_as_written(monkeypatch):
    """The bound counted a value as written, but its forms are built: 'é' is 21 characters of them
    (%C3%A9 twice, \\xc3\\xa9, \\u00e9), so 1 Mi of them was 21 Mi characters built (64 Ki: 62 s, 226 MB).
    Now what is built stays within the bound; a value whose forms alone pass it is masked as written."""
    monkeypatch.setattr(redaction, "MAX_WRITTEN_CHARACTERS", 4096)
    values = [f"{n}-" + "é" * 1000 for n in range(8)]
    for value in values:
        redaction.remember(value, every_form=False)
    assert redact(f"got {values[-1]}!") == f"got {MASK}!"
    assert redaction._plan_values.size <= 2 * 4096 + literal_set._LEVEL_SIZE
