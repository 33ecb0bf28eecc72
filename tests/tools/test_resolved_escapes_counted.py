"""The bound on a step's resolved arguments (orchestra/resolved_args.py) counted an ASCII string at its length and
two quotes, though JSON writes a quote or a backslash in two characters and a control character in six: eight
references to the part of a stored output holding 30 MB of control characters were counted 240 MB, within the
256 MiB bound, and wrote out 1.44 GB. Now a string is counted at the bytes its JSON takes."""

from __future__ import annotations

import pytest
from pydantic_core import to_json

from orchestra.references import resolve
from orchestra.resolved_args import ResolvedBytes, ResolvedTooLarge


@pytest.mark.parametrize(
    "text",
    ["\x01" * 200, '"' * 600, "\\" * 600, "\n\t" * 300, "ok\x7f" * 100, "plain" * 40, "\x01" * 5_000, "long" * 2_000],
)
def test_a_string_counts_the_bytes_of_its_json(text: str) -> None:
    measured = ResolvedBytes(10_000_000, sent=0)
    measured.add(text)
    assert measured.total == len(to_json(text))


def test_references_to_a_part_full_of_escapes_stop_at_the_bound() -> None:
    part = "\x00" * 1_000  # 6,002 bytes of JSON
    measured = ResolvedBytes(50_000, sent=0)
    with pytest.raises(ResolvedTooLarge):
        resolve({"data": ["${a.output.text}"] * 10}, {"a": {"output": {"text": part}}}, measured.add)
