"""A duration on the command line beyond what a run or the server can hold (a century) is a usage error
naming it, exit 2, whichever command reads it: never a traceback, and nothing is created."""

from __future__ import annotations

import pytest

from tests.cli.cli import Cli

LONG = "99999999999999d"  # about 2.7e11 years: no timedelta holds it


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "--since", LONG),
        ("stats", "--since", "40000d"),  # a timedelta holds it: refused all the same
        ("prune-payloads", "--grace", LONG),
        ("schedule", "create", "never", "--plan", "examples/slow_note.yaml", "--every", LONG),
        ("schedule", "create", "never", "--plan", "examples/slow_note.yaml", "--every", "1h", "--jitter", LONG),
    ],
    ids=["stats since", "stats since 110 years", "prune grace", "schedule every", "schedule jitter"],
)
async def test_a_duration_too_long_is_a_usage_error(args: tuple[str, ...], cli: Cli) -> None:
    result = await cli(*args)
    assert result.code == 2, result.err
    assert "bad duration" in result.err and "longer than 100 years" in result.err
    assert "Traceback" not in result.err
