"""A quote of a long text (an LLM endpoint's error body, a tool's error body or stderr's tail, a stdio
server's stderr lines) was masked whole on the event loop, then cut: a megabyte of hostile text held it
for seconds. Each is now masked only as far past its cut as a value can reach, and quotes the same characters
as masking all of it would, a secret across the cut never shown in part."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable

import anyio
import pytest

from orchestra.confinement import Confinement
from orchestra.llm import errors as llm_errors
from orchestra.llm.errors import quoted
from orchestra.mcp.transports import STDERR_LINE_BYTES, STDERR_LINE_CHARS, STDERR_LINES, Link
from orchestra.secrets import Masker, longest_form
from orchestra.telemetry import redaction
from orchestra.tool_spec import ToolContext

KEY = "k136-" + secrets.token_urlsafe(24)
QUOTED_CHARS = 300  # an LLM error's quote
HOSTILE = (("%41+ " + "QUJD" * 8 + " ") * ((1 << 20) // 38 + 1))[: 1 << 20]


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


class Counted:
    """A mask that counts the characters it is given."""

    def __init__(self, mask: Callable[[str], str]) -> None:
        self.mask, self.given = mask, 0

    def __call__(self, text: str) -> str:
        self.given += len(text)
        return self.mask(text)


def _context(tmp_path, mask: Callable[[str], str]) -> ToolContext:
    return ToolContext(confinement=Confinement(workspace=tmp_path), secret_margin=longest_form([KEY]) - 1, mask=mask)


FORMS = [lambda key: key, lambda key: base64.b64encode(key.encode()).decode(), lambda key: key.encode().hex(":")]


@pytest.mark.parametrize("form", FORMS, ids=["as written", "base64", "hex"])
def test_a_tools_quote_of_a_huge_text_masks_a_secret_across_either_cut_reading_only_its_end(tmp_path, form):
    masker = Masker([KEY])
    start = "x" * 495 + form(KEY) + " " + HOSTILE
    end = HOSTILE + " " + form(KEY) + "y" * 495
    counted = Counted(masker.text)
    ctx = _context(tmp_path, counted)
    assert ctx.quote_start(start, 500) == masker.text(start)[:500]
    assert ctx.quote_end(end, 500) == masker.text(end)[-500:]
    assert "***" in ctx.quote_start(start, 500)[495:] and form(KEY)[-8:] not in ctx.quote_end(end, 500)
    assert 0 < counted.given < len(HOSTILE) // 8  # masked whole: twice the megabyte


def test_a_tools_quote_where_masking_shrank_the_text_is_read_further(tmp_path):
    masker = Masker([KEY])
    text = (KEY + " ") * 20_000
    ctx = _context(tmp_path, masker.text)
    assert ctx.quote_start(text, 500) == masker.text(text)[:500]
    assert ctx.quote_end(text, 500) == masker.text(text)[-500:]


def test_an_llm_endpoints_huge_error_body_is_quoted_masked_without_masking_all_of_it(monkeypatch):
    redaction.remember(KEY)
    body = "e" * (QUOTED_CHARS - 6) + base64.b64encode(KEY.encode()).decode() + "\n" + HOSTILE
    # The cut is marked with an ellipsis in the quote's last character (fix191: text.cut_escaped).
    whole = " ".join(redaction.redact_text(body).split())[: QUOTED_CHARS - 1] + "…"
    counted = Counted(redaction.redact_text)
    monkeypatch.setattr(llm_errors, "redact_text", counted)  # as the quote masks (fix321: the settings first)
    assert quoted(body) == whole == "e" * (QUOTED_CHARS - 6) + redaction.MASK[:5] + "…"
    assert 0 < counted.given < len(HOSTILE) // 8


def _link(mask: Callable[[str], str], reach: int | None) -> Link:
    write, read = anyio.create_memory_object_stream[object](0)
    return Link(read, write, mask=mask, reach=reach)  # type: ignore[arg-type]


def test_a_stdio_servers_long_stderr_lines_are_quoted_as_masked_whole_reading_only_their_ends():
    """A key across each line's cut, and its base64 wrapped from one long line's end into the next line."""
    masker = Masker([KEY])
    encoded = base64.b64encode(KEY.encode()).decode()
    filler = HOSTILE[: STDERR_LINE_BYTES - 2 * STDERR_LINE_CHARS]
    lines = [
        "x" * (STDERR_LINE_CHARS - 6) + KEY + " " + filler + "\t" + encoded[:20],
        encoded[20:] + " " + filler,
        *(f"line {n}: " + "z" * (STDERR_LINE_CHARS - 12) + KEY + filler for n in range(STDERR_LINES - 2)),
    ]
    counted = Counted(masker.text)
    bounded, whole = _link(counted, longest_form([KEY])), _link(masker.text, None)
    bounded.stderr.extend(lines)
    whole.stderr.extend(lines)
    quote = bounded.stderr_tail()
    assert quote == whole.stderr_tail()
    assert KEY[:6] not in quote and encoded[20:26] not in quote
    # The wrapped form masked joins its two lines into one, as masking them whole did.
    assert [part.count("***") for part in quote.split(" | ")] == [1] * (STDERR_LINES - 1)
    # Each line's ends, a few secret margins each (the margin grows with the forms a secret may take: invisible
    # characters between its own made it 2,153 characters here), never the lines whole.
    margin = longest_form([KEY])
    assert 0 < counted.given <= STDERR_LINES * 8 * margin < sum(map(len, lines)) // 2
