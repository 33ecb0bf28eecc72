"""A long secret of one character repeated, against a long run of that character: the masker's RE2 prefilter
found every place a match may begin first, one search a character (4.5 s of CPU a megabyte, holding the GIL), though
all but one in each match's length were inside a match already. It now looks for a start only past the last match."""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.secrets import MASK, Masker

SECRET = "a" * 64


class _CountingSearches:
    def __init__(self, regexp: Any) -> None:
        self.regexp = regexp
        self.searches = 0

    def search(self, *args: Any) -> Any:
        self.searches += 1
        return self.regexp.search(*args)


@pytest.mark.parametrize("secret", [SECRET, "ab" * 32], ids=["one character", "two characters"])
def test_a_run_of_a_secrets_characters_is_searched_once_a_match(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    masker = Masker([secret])
    counting = []
    for filters in masker._long_filters:
        assert filters is not None
        for one in filters:
            counting.append(_CountingSearches(one._regexp))
            monkeypatch.setattr(one, "_regexp", counting[-1])
    matches = 100
    text = secret * matches
    masked = masker.text(f"x {text} y")
    assert masked.startswith("x ") and masked.endswith(" y") and set(masked[2:-2]) == set(MASK), masked
    # Before: a search at each of the run's 6,400 characters.
    assert sum(one.searches for one in counting) <= 4 * matches
