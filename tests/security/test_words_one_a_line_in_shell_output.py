"""A secret in od's words one a line (``od -An -tu2 -w2``: little-endian 16-bit decimal words) in a shell call's output
is masked at every offset, in every width and base od writes. Three leaks: the first line of a string was never a
narrow block's (the activity reads an output's strings together, apart by a separator no line's break), so a secret
from the first word on showed; od's last word right-aligned behind 9 spaces or more ('         10') was no narrow line,
and reads as od -c's fields too, so -tu4's and -tu8's blocks were read a line at a time; and a block of 2 or 3 lines
(-tu4's of a 9 to 12 byte secret) was none."""

from __future__ import annotations

import pytest

from tests.security.shell_outputs import masked_stdout, run_shell
from tests.security.test_dumps_of_words_and_widths import shows

SECRETS = ["correcthorsebatterystaple42", "ivuGvIL6P_", "hnkZZIy-TW!obE-XHIku"]
WORDS = [
    "od -An -tu2 -w2",
    "od -An -td2 -w2",
    "od -An -tx2 -w2",
    "od -An -to2 -w2",
    "od -An -tu4 -w4",
    "od -An -td4 -w4",
    "od -An -tu8 -w8",
    "od -tu2 -w2",
]


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("command", WORDS)
def test_a_secret_in_words_one_a_line_is_masked_at_every_offset(command: str, secret: str) -> None:
    for offset in range(8):
        for after in (b"", b"\n", b"\nand more text\n"):
            made = run_shell(command, b"x" * offset + secret.encode() + after)
            assert shows(made, secret), made
            masked = masked_stdout(made, [secret])
            assert not shows(masked, secret), (offset, after, masked)


def test_words_holding_no_secret_are_left_as_they_are() -> None:
    for command in WORDS:
        made = run_shell(command, b"nothing secret here, only a long enough text\n")
        assert masked_stdout(made, [SECRETS[0]]) == made
