"""A secret in a dump behind a quote or a log's prefix is masked (fix376's leftovers, each in clear): ``od -An -w4 -tu1``
and ``-w2`` with ``> `` before each line (a line's first word of three digits, an odd count of digits, no hex, was
read as the quote's and left out of the decimal column), and a narrow dump behind a log's prefix longer than a
quote's few characters (``2026-12-02T10:00:00Z stdout: 00000000: 63  c``: never read). Every dump is made by the real
tool, the secret at every offset modulo 16."""

from __future__ import annotations

import pytest

from tests.security.dumps_made import QUOTES, assert_masked_at_every_offset
from tests.security.test_dumps_of_words_and_widths import shows

DECIMAL_BYTES_FEW_A_LINE = [
    ["od", "-An", "-w4", "-tu1"],
    ["od", "-An", "-w4", "-td1"],
    ["od", "-An", "-w2", "-tu1"],
    ["od", "-An", "-w8", "-tu1"],
]
NARROW = [
    ["xxd", "-c", "1"],
    ["xxd", "-c", "2"],
    ["od", "-An", "-w1", "-tu1"],
    ["od", "-w1", "-tx1"],
    ["hexdump", "-e", '1/1 "%02x\\n"'],
]
LOG_PREFIXES = {
    "stream": "2026-12-02T10:00:00Z stdout: ",
    "level": "2026-12-02 10:00:00,123 INFO ",
    "bracket": "[worker-7] ",
}


@pytest.mark.parametrize("quote", QUOTES.values(), ids=QUOTES.keys())
@pytest.mark.parametrize("command", DECIMAL_BYTES_FEW_A_LINE, ids=" ".join)
def test_decimal_bytes_a_few_a_line_behind_a_quote_are_masked(command: list[str], quote: str) -> None:
    assert_masked_at_every_offset(command, quote, shows)


@pytest.mark.parametrize("prefix", LOG_PREFIXES.values(), ids=LOG_PREFIXES.keys())
@pytest.mark.parametrize("command", NARROW, ids=" ".join)
def test_a_narrow_dump_behind_a_log_prefix_is_masked(command: list[str], prefix: str) -> None:
    def shows_behind(text: str, secret: str) -> bool:
        lines = text.splitlines()
        assert all(line.startswith(prefix) for line in lines), ("the prefix is kept", text)
        return shows("\n".join(line.removeprefix(prefix) for line in lines), secret)

    assert_masked_at_every_offset(command, prefix, shows_behind)
