"""`list --query` and `stats --query` with a control character in the query: refused before anything is
sent, with the character and where it is (a raw NUL got the server's bare "SQL logic error"); a line's own
whitespace (tab, newline) is still a query's whitespace."""

from __future__ import annotations

import pytest

from tests.cli.cli import Cli

CONTROLS = ["\x00", "\x01", "\x1b", "\x7f", "\x85"]


@pytest.mark.parametrize("control", CONTROLS, ids=[repr(c) for c in CONTROLS])
async def test_a_control_character_in_a_query_is_refused_at_once(cli: Cli, control: str) -> None:
    for command in ("list", "stats"):
        shown = await cli.here(command, "--query", f"WorkflowId = 'a{control}b'")
        assert shown.code == 2, shown.out + shown.err
        assert "control character" in shown.err and "at character 16" in shown.err, shown.err
        assert "SQL logic error" not in shown.err, shown.err


async def test_a_query_s_whitespace_is_not_refused(cli: Cli) -> None:
    shown = await cli("list", "--query", "WorkflowId = 'x'\n\tAND\r\nWorkflowId != 'y'")
    assert shown.code == 0, shown.err
    assert "no runs match" in shown.out, shown.out
