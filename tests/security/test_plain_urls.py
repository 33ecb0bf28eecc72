"""A URL the boundary takes as plain without asking httpx (orchestra/network.py, _PLAIN_URL: importing httpx
was a fifth of a `plan` call) is one httpx reads too: checked against httpx itself over URLs made of the
pieces where the two readers part (case, IPv4-like hosts, A-labels, IDNA, brackets, user info, ports,
control characters, spaces, non-ASCII text), and every one of them keeps the verdict it had."""

from __future__ import annotations

import random
import re

import httpx
import pytest

from orchestra import network
from orchestra.network import DestinationRefused, url_parts

SCHEMES = ("http", "https", "HTTP", "Https", "ftp", "http:", "")
HOSTS = ("a.example", "A.EXAMPLE", "localhost", "1.2.3.4", "127.0.0.1", "256.1.1.1", "1.2.3.04", "01.2.3.4",
         "999.1.1.1", "1.2.3.4.5", "1.2.3", "xn--zz.example", "a.XN--mller-kva.de", "xn--mller-kva.de", "a..b", "a.example.", "-a.example", "a_b.example",
         "[::1]", "[::1", "::1", "user@a.example", "u:p@a.example", "a.example\x00", "a example", "\u2603.com",
         "b\u00fccher.de", "\u0131.example", "\u212a.example", "", "a.example%2f", "a.example\\b")  # fmt: skip
PORTS = ("", ":80", ":8080", ":0", ":65535", ":65536", ":", ":x", ":+80", ":٣")
TAILS = ("", "/", "/a/b", "/a b", "/?q=1", "#f", "/x?y=%zz#z", "/\x7f", "/\t", "/\ud800", "/caf\u00e9", "//x", "/@evil",
         "?", "#", "/[x]", "/\\", "/\x1b[31m")  # fmt: skip


def verdict(url: str) -> str:
    """What the boundary says of the URL: its host and port, or the refusal's code."""
    try:
        return repr(url_parts(url))
    except DestinationRefused as exc:
        return f"refused: {exc.code}"


def httpx_reads(url: str) -> bool:
    try:
        httpx.Request("GET", url)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError):
        return False
    return True


def urls(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(SCHEMES)}://{rng.choice(HOSTS)}{rng.choice(PORTS)}{rng.choice(TAILS)}{rng.choice(TAILS)}"
            for _ in range(count)]  # fmt: skip


def test_every_url_taken_as_plain_is_one_httpx_reads() -> None:
    made = urls(20_000, seed=11)
    plain = [url for url in made if network._plain(url)]
    assert 300 < len(plain) < len(made) - 300  # both ways are taken
    assert [url for url in plain if not httpx_reads(url)] == []


@pytest.mark.parametrize(
    "url",
    ["http://xn--zz.127.0.0.1.nip.io/", "http://XN--zz.example/", "http://01.2.3.4/", "http://999.1.1.1/", "http://1.2.3.04/",
     "http://\u0131.example/", "http://\u212a.example/", "http://a.example/\x7f", "http://a.example/?q=\ud800"],
)  # fmt: skip
def test_look_alikes_of_a_plain_url_are_left_to_httpx(url: str) -> None:
    """An A-label (httpx decodes it, and refuses a bad one), an IPv4 address httpx refuses, letters that match
    a-z only when case is folded by Unicode (dotless i, the Kelvin sign: IDNA maps them), DEL, half a
    surrogate pair: none is taken as plain, and each is refused exactly when httpx refuses it."""
    assert not network._plain(url)
    assert verdict(url).startswith("refused: bad_url") == (not httpx_reads(url))


def test_the_boundary_reads_each_url_as_it_did_with_httpx_for_every_one(monkeypatch: pytest.MonkeyPatch) -> None:
    made = urls(3000, seed=12)
    quick = [verdict(url) for url in made]
    monkeypatch.setattr(network, "_PLAIN_URL", re.compile(r"(?!)"))  # nothing is plain: httpx reads each
    assert quick == [verdict(url) for url in made]
