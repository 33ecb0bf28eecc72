"""Two inputs `--plan -` told wrongly of (attack361): standard input closed (`<&-`) was called a terminal, and a
piped plan of 100,000 `[` was refused at byte 1,000, where libyaml's own bound (1,000 flow levels) gave up scanning
ahead, not where the plan's bound (64 levels) is passed. Now each says what it is, and the depth where the plan's bound
is passed: the bracket found among those libyaml read, counted with the collections open before them, past brackets
inside quotes. `client.py validate` run as a process, its standard input closed by a real shell."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from orchestra.documents import MAX_DEPTH, TooLarge, check_expansion
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import CLIENT, TIMEOUT_S


def _validate(shell_stdin: str) -> subprocess.CompletedProcess[str]:
    command = ["sh", "-c", f'exec "$@" {shell_stdin}', "sh", sys.executable, str(CLIENT), "validate", "--plan", "-"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=dict(os.environ), capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)  # fmt: skip


def test_a_closed_standard_input_is_said_to_be_closed() -> None:
    done = _validate("<&-")
    assert done.returncode == 2, done.stderr
    assert "standard input is closed, so there is no plan to read: pipe the plan in" in done.stderr, done.stderr
    assert "terminal" not in done.stderr, done.stderr


def test_brackets_past_libyamls_own_bound_are_refused_where_the_plans_is_passed() -> None:
    done = subprocess.run(
        [sys.executable, str(CLIENT), "validate", "--plan", "-"], cwd=PROJECT_ROOT, env=dict(os.environ),
        input="[" * 100_000, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    where = f"byte offset {MAX_DEPTH} (line 1, column {MAX_DEPTH + 1})"
    assert f"nesting deeper than {MAX_DEPTH} levels at {where}" in done.stderr, done.stderr


def test_the_bracket_counts_the_collections_open_before_it_and_not_quoted_ones() -> None:
    opened = "name: x\nnodes: [{\"a[[\": ['[[', "  # a mapping, then 3 levels; the brackets quoted count for nothing
    text = opened + "[" * 5_000
    with pytest.raises(TooLarge) as refused:
        check_expansion(text, 10**6, MAX_DEPTH)
    assert str(refused.value) == f"nesting deeper than {MAX_DEPTH} levels"
    assert refused.value.index == len(opened) + MAX_DEPTH - 4, refused.value.index
    column = refused.value.index - len("name: x\n") + 1
    assert refused.value.where == f"line 2, column {column}", refused.value.where
