"""A secret in od's decimal bytes a few a line is masked (fix365's leftover: ``od -w4 -tu1`` was in clear). A line of
three-digit bytes each of the digits 0 to 7 (``104 111 114 115``, 'hors') reads as od -c's octal fields too, and was read
only so; and a line of three decimal bytes and a fourth ('50  10  97 110') read as three hex bytes and an ASCII
column '110'. The dump's decimal column missed those lines and the secret was never whole in it. Every dump is made by
the real tool, the secret at every offset modulo 16, each line quoted each way (the check of every width's)."""

from __future__ import annotations

import pytest

from tests.security.dumps_made import QUOTES, assert_masked_at_every_offset
from tests.security.test_dumps_of_words_and_widths import shows

DUMPS = [
    ["od", "-w4", "-tu1"],
    ["od", "-w4", "-td1"],
    ["od", "-w8", "-tu1"],
    ["od", "-w2", "-tu1"],
]


@pytest.mark.parametrize("quote", QUOTES.values(), ids=QUOTES.keys())
@pytest.mark.parametrize("command", DUMPS, ids=" ".join)
def test_a_secret_in_decimal_bytes_few_a_line_is_masked(command: list[str], quote: str) -> None:
    assert_masked_at_every_offset(command, quote, shows)
