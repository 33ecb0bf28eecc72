"""A short secret (a PIN '2026') is masked as a whole token only; a tool's output or error that names a thing after it
in camelCase ('pin2026Code', 'user2026Token'), or writes it in other digits (fullwidth, as a Japanese text does;
mathematical, Arabic-Indic), showed it in clear in the run's history. A word of small letters and digits ('x2026y') stays one
token, as before; the plan-time refusal reads a secret in a word by the same rule."""

from __future__ import annotations

import pytest

from orchestra.errors import ToolValidationError
from orchestra.secrets import MASK, Masker, mask_secrets, resolve_secrets

PIN = "2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pin2026Code", "pin***Code"),
        ("user2026Token", "user***Token"),
        ("2026Code", "***Code"),
        ("getPin2026", "getPin2026"),  # no camelCase edge beside it: one token, as 'x2026y'
        ("x2026y", "x2026y"),
        ("FY2026", "FY2026"),
        ("report_2026.pdf", "report_2026.pdf"),
    ],
)
def test_a_short_secret_in_a_camel_case_name_is_masked(text: str, expected: str) -> None:
    assert Masker([PIN]).text(text) == expected


@pytest.mark.parametrize(
    "written",
    [
        "\uff12\uff10\uff12\uff16",
        "\U0001d7d0\U0001d7ce\U0001d7d0\U0001d7d4",
        "\u0662\u0660\u0662\u0666",
        "\u0968\u0966\u0968\u096c",
        "2\uff102\uff16",
    ],
    ids=["fullwidth", "math-bold", "arabic-indic", "devanagari", "mixed"],
)
def test_a_short_secret_in_other_digits_is_masked(written: str) -> None:
    output = {"message": f"your pin is {written}.", "items": [f"pin: {written}"]}
    masked = mask_secrets(output, [PIN])
    assert written not in str(masked) and MASK in masked["message"] and MASK in masked["items"][0], masked
    assert mask_secrets(f"error: bad pin {written}", [PIN]) == f"error: bad pin {MASK}"


@pytest.mark.parametrize("secret", ["s3cr3tKy", "ab12", "xyz"])
def test_a_secret_in_fullwidth_letters_and_digits_is_masked(secret: str) -> None:
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in secret)
    assert Masker([secret]).text(f"echo {fullwidth} end") == f"echo {MASK} end"


def test_the_plan_time_refusal_reads_a_word_by_the_masker_s_rule() -> None:
    """Placed where the masker reads it as a word of a camelCase name, it is masked when echoed: not refused."""
    env = {"ORCHESTRA_SECRET_PIN": PIN}
    resolved, used = resolve_secrets("pin${secrets.PIN}Code", env)
    assert Masker(used).text(f"echo {resolved}") == "echo pin***Code"
    with pytest.raises(ToolValidationError) as refused:
        resolve_secrets("x${secrets.PIN}y", env)
    assert refused.value.code == "short_secret_in_word"
