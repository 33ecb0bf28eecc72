"""``write_json`` skips its escaping scan where nothing can match (plain ASCII without DEL: the scan cost
~29 ms a megabyte); what it escapes must stay escaped wherever the scan still has to run."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from orchestra.cli.json_output import write_json


def written(value: Any) -> str:
    out = io.StringIO()
    write_json(out, value)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain ascii but a DEL\x7f", "\\u007f"),  # ASCII: the one character the skip must not skip
        ("\x7f", "\\u007f"),
        ("a C1 CSI \x9b[31m", "\\u009b"),
        ("next line \x85", "\\u0085"),
        ("bidi \u202eexe.txt", "\\u202e"),
        ("zero width \u200b", "\\u200b"),
        ("a tag character \U000e0041", "\\udb40\\udc41"),
        ("ascii then DEL \x7f then bidi \u202e", "\\u202e"),
    ],
)
def test_what_a_terminal_acts_on_is_still_escaped(value: str, escaped: str) -> None:
    text = written({"name": value})
    assert escaped in text, text
    assert not any(character in text for character in "\x7f\x85\x9b\u202e\u200b\U000e0041"), text
    assert json.loads(text)["name"] == value  # escaped, never dropped


def test_c0_controls_are_escaped_by_json_itself() -> None:
    text = written(["\x1b[2J\x07\x08"])
    assert "\x1b" not in text and "\\u001b" in text, text
    assert json.loads(text) == ["\x1b[2J\x07\x08"]


def test_plain_output_is_written_as_json_writes_it() -> None:
    value = {"runs": [{"id": "r-1", "plan": "café ✓ 日本", "lines": ["a", "b\tc"]}], "count": 1}
    assert written(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    ascii_only = {"runs": ["plain"] * 3}
    assert written(ascii_only) == json.dumps(ascii_only, indent=2, ensure_ascii=False) + "\n"
