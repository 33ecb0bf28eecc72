"""A short secret (a PIN '2026') is masked where it stands as a whole token, a token being letters and digits
joined by '-', '_' or '.': a date, a file name, a version or an id holding it is another token (read as token
edges, '2026-12-01' and 'report_2026.pdf' were masked). A joiner with no letter or digit beyond it, or after an
escape standing for no letter or digit, is an edge, and an encoded or escaped form is held to the same rule."""

from __future__ import annotations

import base64
import json

import pytest

from orchestra.secrets import MASK, Masker

PIN = "2026"


@pytest.mark.parametrize(
    "text",
    ["2026-12-01", "report_2026.pdf", "v1.2026.3", "inv-2026-7", "id_2026", "2026_a", "a-2026", "x.2026"],
)
def test_a_short_secret_joined_into_a_longer_token_is_left(text: str) -> None:
    assert Masker([PIN]).text(f"see {text} now") == f"see {text} now"


@pytest.mark.parametrize("secret", ["2026", "ab12", "Kx9q2"])
@pytest.mark.parametrize(
    "around",
    [
        "pin {} now",
        "pin {}.",
        "pin {}. Next",
        "pin {}-",
        "_{}_",
        "-{}-",
        "({})",
        '{{"pin": "{}"}}',
        "pin={}&x=1",
        "{}..x",
    ],
)
def test_a_short_secret_standing_whole_is_masked(secret: str, around: str) -> None:
    masked = Masker([secret]).text(around.format(secret))
    assert secret not in masked and MASK in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(f"list:\n-{PIN}"),  # '\n-2026': the escape's letter before the joiner is no token's
        json.dumps(f"a\t_{PIN}"),
        f"pin=3D{PIN}",  # quoted-printable '='
        f"q%2D{PIN}",  # percent-encoded '-' (the escape is an edge: masked, whatever is before it)
        f"x\\u002d{PIN}",
    ],
)
def test_an_escaped_edge_or_a_joiner_after_one_is_still_an_edge(text: str) -> None:
    masked = Masker([PIN]).text(text)
    assert PIN not in masked and MASK in masked, masked


@pytest.mark.parametrize(("text", "masked"), [("report_2026.pdf", False), ("pin: 2026.", True)])
def test_the_rule_is_the_same_in_what_an_encoded_run_decodes_to(text: str, masked: bool) -> None:
    encoded = f"Basic {base64.b64encode(('user:' + text).encode()).decode()}"
    assert (MASK in Masker([PIN]).text(encoded)) is masked
