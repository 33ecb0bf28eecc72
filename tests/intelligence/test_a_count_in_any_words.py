"""A count of repeats spelled in words past ten is a repeat as "3 times" is: attack129 found "Fetch URL twenty times"
and "... a hundred times" fetching once in silence (only "one" to "ten" were read as counts)."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    "count",
    ["twenty", "a hundred", "forty-two", "two dozen", "one hundred and twenty", "eleven", "ten thousand", "five"],
)
async def test_a_count_in_words_is_asked_for(count: str) -> None:
    calls, missing, notes = await calls_asked_and_said(f"Fetch https://x.example/a {count} times", MEDIA)
    assert (calls, missing) == ([("http_request", {"url": "${inputs.http_request_url}"})], ["http_request_url"])
    assert any("times" in note for note in notes), notes


async def test_no_count_is_one_fetch() -> None:
    calls, missing, _ = await calls_asked_and_said("Fetch https://x.example/a", MEDIA)
    assert (calls, missing) == ([("http_request", {"url": "https://x.example/a"})], [])
