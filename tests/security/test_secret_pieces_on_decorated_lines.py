"""A long secret printed a piece a line with its lines decorated is masked in a shell call's output: a line between each
two pieces that holds no letter or digit (``fold -w4 | sed G``'s blank lines, a line of '*' or '-' between chunks), or a
number before each line (``cat -n``, ``nl``, ``grep -n``), or both. The masker's forms joined only a line's end to the
next line's start, and every piece was in clear; a line of '****' holds the mask, which the masker reads only between."""

from __future__ import annotations

import re

import pytest

from tests.security.shell_outputs import masked_stdout, run_shell

SECRET = "correcthorsebatterystaple42"
DECORATED = {
    "blank line": "sed G",
    "two blank lines": "sed 'G;G'",
    "line of stars": "sed 'a ****'",
    "line of dashes": "sed 'a -----'",
    "comment rule": "sed 'a # ---'",
    "spaces line": "sed 'a \\ \\ \\ '",
    "cat -n": "cat -n",
    "nl": "nl",
    "nl -s': '": "nl -s': '",
    "grep -n": "grep -n ''",
    "awk NR. ": "awk '{print NR \". \" $0}'",
    "cat -n of blank lines": "sed G | cat -n",
    "nl -ba of star lines": "sed 'a ****' | nl -ba",
    "CRLF and blank lines": "sed G | sed 's/$/\\r/'",
}


def _joined(text: str) -> str:
    """``text``'s letters and digits without its lines' numbers: what a reader puts together."""
    lines = (re.sub(r"^\s*[0-9]+(?:\t|: ?|\. )", "", line) for line in text.splitlines())
    return "".join(c for line in lines for c in line if c.isalnum())


def _shown(text: str) -> bool:
    """Whether 4 characters of the secret in a row are in ``text``, a line's decoration or not between."""
    return any(SECRET[at : at + 4] in _joined(text) for at in range(len(SECRET) - 3))


@pytest.mark.parametrize("decoration", DECORATED.values(), ids=DECORATED.keys())
def test_a_secret_a_piece_a_decorated_line_is_masked(decoration: str) -> None:
    for width in (3, 4, 5, 9):
        for offset in range(3):
            made = run_shell(f"fold -w{width} | {decoration}", ("x" * offset + SECRET + "\nand more text\n").encode())
            assert _shown(made), made
            masked = masked_stdout(made, [SECRET])
            assert not _shown(masked), (width, offset, masked)
            assert "andmoretext" in _joined(masked), masked


def test_chunks_with_a_separator_line_between_are_masked() -> None:
    made = run_shell(f"printf '%s\\n========\\n%s\\n' {SECRET[:13]} {SECRET[13:]}")
    assert masked_stdout(made, [SECRET]) == "***\n"


def test_decorated_lines_that_spell_no_secret_are_kept() -> None:
    made = run_shell("printf 'corr\\n\\necth\\n\\norse\\n\\nbatt\\n\\nerys\\n\\ntapl\\n\\ne41\\n' | cat -n")
    assert masked_stdout(made, [SECRET]) == made
