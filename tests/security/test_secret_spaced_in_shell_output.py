"""A long secret with Unicode's spaces between its characters or its pieces (NBSP, an em space, a thin space, an
ideographic space, plain spaces, JSON's ``\\u00a0``), as a hostile plan has an ordinary program print it, is masked in
a shell call's output: it read whole to anyone, and was in clear. A short one (a PIN) is read as a whole token only."""

from __future__ import annotations

import pytest

from tests.security.shell_outputs import masked_stdout, run_shell

SECRET = "correcthorsebatterystaple42"
SPACES = ["\u00a0", "\u2003", "\u2009", "\u3000", "\u202f", " ", "\u00a0\u00a0 ", "\t"]


@pytest.mark.parametrize("space", SPACES, ids=[f"U+{ord(s[0]):04X}x{len(s)}" for s in SPACES])
def test_spaces_between_each_character_are_read_through(space: str) -> None:
    made = run_shell(f"sed 's/./&{space}/g'", f"{SECRET}\n".encode())
    assert made.replace(space, "") == SECRET + "\n"
    assert SECRET[:4] not in masked_stdout(made, [SECRET]).replace(space, "")


@pytest.mark.parametrize("space", SPACES, ids=[f"U+{ord(s[0]):04X}x{len(s)}" for s in SPACES])
def test_spaces_between_pieces_and_after_a_break_are_read_through(space: str) -> None:
    pieces = f"printf '%s{space}%s{space}%s\\n' {SECRET[:9]} {SECRET[9:18]} {SECRET[18:]}"
    indented = f"fold -w5 | sed 's/^/{space}/'"
    for made in (run_shell(pieces), run_shell(indented, SECRET.encode())):
        masked = masked_stdout(made, [SECRET])
        assert "***" in masked and not any(SECRET[at : at + 5] in masked for at in range(len(SECRET) - 4)), masked


def test_a_json_escaped_space_between_characters_is_read_through() -> None:
    made = run_shell("python3 -c 'import json,sys; print(json.dumps(\"\\u00a0\".join(sys.argv[1])))' " + SECRET)
    assert "\\u00a0" in made
    assert masked_stdout(made, [SECRET]).strip() in ('"***"', "***")


def test_words_spaced_apart_that_spell_no_secret_are_kept() -> None:
    made = run_shell("echo 'correct horse battery staple 41, a t t e n t i o n'")
    assert masked_stdout(made, [SECRET]) == made
