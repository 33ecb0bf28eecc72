"""What grep and a search look through (plan105), with the media catalogue: "grep X for 'P'" runs grep with the
pattern P on X, and "search X for 'P'" keeps the lines of X holding P as said; neither gives P to a text tool as the
text to work on (a call of extract_text took 'error', another the page). "The page" a command is run on after a
download is what was fetched (the command only waited for it)."""

from __future__ import annotations

import pytest

from orchestra.tools.text import extract
from tests.intelligence.reading import MEDIA, output_of, plan_read


@pytest.mark.parametrize(
    ("task", "stdin"),
    [
        ("Download https://x.example/p, then grep the page for 'error'", output_of("download", "text")),
        ("Download https://x.example/p, then run 'grep -e error' on the page", output_of("download", "text")),
        ("Read notes.txt and grep it for 'error'", output_of("read")),
    ],
)
async def test_grep_searches_what_the_step_before_made(task: str, stdin: str) -> None:
    nodes, _, asked = await plan_read(task, MEDIA)
    assert [n.tool for n in nodes][-1:] == ["shell"]
    assert len(nodes) == 2
    assert nodes[-1].args == {"cmd": "grep -e error", "stdin": stdin}
    assert not asked


@pytest.mark.parametrize(
    ("task", "cmd"),
    [
        ("grep notes.txt for 'TODO'", "grep -e TODO notes.txt"),
        ("grep notes.txt for '-f /etc/passwd'", "grep -e '-f /etc/passwd' notes.txt"),
        # each quote a pattern: the second was a run asked for whole and given to no call
        ("grep notes.txt for 'a' and 'b'", "grep -e a -e b notes.txt"),
        ("grep notes.txt for 'a', '$(id)' or '-v'", "grep -e a -e '$(id)' -e -v notes.txt"),
    ],
)
async def test_grep_on_a_file_is_given_the_file(task: str, cmd: str) -> None:
    nodes, warnings, asked = await plan_read(task, MEDIA)
    assert [(n.tool, n.args) for n in nodes] == [("shell", {"cmd": cmd})]
    assert not warnings and not asked


@pytest.mark.parametrize(
    ("task", "pattern"),
    [
        ("Download https://x.example/p, then search the page for 'error'", r"\Qerror\E"),
        ("Download https://x.example/p, then scan the page for 'a.b (x)'", r"\Qa.b (x)\E"),
        # each quote looked for, not the second a text of a call of its own (extracting lines from 'warn')
        ("Download https://x.example/p, then search the page for 'error' and 'warn'", r"\Qerror\E|\Qwarn\E"),
        ("Download https://x.example/p, then search the page for 'a', 'b' or 'c.d'", r"\Qa\E|\Qb\E|\Qc.d\E"),
    ],
)
async def test_a_search_filters_the_lines_holding_what_it_looks_for(task: str, pattern: str) -> None:
    nodes, warnings, asked = await plan_read(task, MEDIA)
    assert [(n.tool, n.args) for n in nodes[1:]] == [
        ("extract_text", {"text": output_of("download", "text"), "mode": "lines", "pattern": pattern})
    ]
    assert not asked and not warnings


def test_the_words_looked_for_match_as_said() -> None:
    page = "ok\nsee a.b (x) here\naXb (x)\n"
    found = extract({"text": page, "mode": "lines", "pattern": r"\Qa.b (x)\E"})
    assert found["matches"] == ["see a.b (x) here"]


def test_any_of_the_words_looked_for_matches_as_said() -> None:
    page = "ok\nan error\nwarn: x\ncXd\nc.d\n"
    found = extract({"text": page, "mode": "lines", "pattern": r"\Qerror\E|\Qwarn\E|\Qc.d\E"})
    assert found["matches"] == ["an error", "warn: x", "c.d"]
