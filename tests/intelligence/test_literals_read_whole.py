"""The request's literals (paths, URLs, JSON, quotes, numbers) are read whole or not at all, and what the
run would not read as the user meant is asked for (attack37, fix38)."""

from __future__ import annotations

import asyncio
import json

import pytest

from orchestra.analysis.data import extract
from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tools.cleanup import with_support_tools
from tests.intelligence.reading import MEDIA


def with_delete() -> ToolRegistry:
    """The built-ins and delete_file, as `client.py plan` has them."""
    registry = default_registry()
    with_support_tools(registry)
    return registry


def read(task: str) -> list[tuple[str, object]]:
    return [(d.kind, d.value) for d in extract(task).items]


@pytest.mark.parametrize(
    "task",
    [
        "Read ~~/x.txt",
        "Read C:%TEMP%/x.txt",
        "Read $(whoami)/a.txt",
        "Read a~/x.txt",
        "Read x$HOME/y.txt",
        "Read a*/b.txt",
        "Read ${HOME:-x}/a.txt",
        "Read C:\\x\\y.txt",
        "Read notes.txt-old",
        "Read a.txt.bak",
    ],
)
def test_a_path_is_never_read_from_the_middle_of_a_word(task: str) -> None:
    """Before: '~~/x.txt' was read as '~/x.txt', 'C:%TEMP%/x.txt' as '%TEMP%/x.txt', '$(whoami)/a.txt' as the
    absolute '/a.txt': another file than the one named. A path starts where its token does."""
    assert [d for d in extract(task).items if d.kind == "path"] == []


@pytest.mark.parametrize(
    ("task", "paths"),
    [
        ("List ~/ and $HOME/", ["~/", "$HOME/"]),
        ("Read my.notes.txt and v1.2.txt.", ["my.notes.txt", "v1.2.txt"]),
        ("Read (a.txt), [b.txt]; c/d.txt: ../e.txt", ["a.txt", "b.txt", "c/d.txt", "../e.txt"]),
        ("Read C:/Users/a.txt", ["C:/Users/a.txt"]),
    ],
)
def test_a_path_is_read_whole(task: str, paths: list[str]) -> None:
    """Before: 'my.notes.txt' was no file at all and '$HOME/' was read as 'HOME/'."""
    assert [v for k, v in read(task) if k == "path"] == paths


@pytest.mark.parametrize(
    ("task", "tool", "name"),
    [
        ("Write hello to ~/out.txt", "write_file", "path"),
        ("Write hello to $HOME/out.txt", "write_file", "path"),
        ("Read ~/notes.txt", "read_file", "path"),
        ("Read $HOME/notes.txt", "read_file", "path"),
        ("Delete %TEMP%/x.txt", "delete_file", "path"),
        ("Delete ~bob/x.txt", "delete_file", "path"),
        ("List ~/", "list_files", "path"),
        ("Read C:/x/notes.txt", "read_file", "path"),
    ],
)
def test_a_path_from_a_home_or_a_variable_is_asked_for_by_every_file_tool(task: str, tool: str, name: str) -> None:
    """Before: write_file was given '~/out.txt' as written, and the run, which expands nothing, made a folder
    named '~' in the workspace. Such a path is a plan input, as '${HOME}/x' already was."""
    execution = asyncio.run(plan_task(task, with_delete())).execution
    assert execution.plan is not None
    node = next(n for n in execution.plan.nodes if n.tool == tool)
    assert node.args[name] == f"${{inputs.{tool}_{name}}}"


def test_a_file_from_a_home_is_asked_for_by_a_described_tool_too() -> None:
    execution = asyncio.run(plan_task("Caption ~/photo.jpg", default_registry([MEDIA]))).execution
    assert execution.plan is not None
    args = json.dumps([n.args for n in execution.plan.nodes])
    assert "~/photo.jpg" not in args and "${inputs." in args


def test_json_longer_than_a_window_is_read_whole() -> None:
    value = {"k": ["v" * 3000] * 3, "n": list(range(2000)), "s": "[[[[" * 100}
    assert read(f"Post {json.dumps(value)} to out.json") == [("json", value), ("path", "out.json")]


def test_json_nested_past_any_plan_argument_is_no_data_and_what_follows_still_is() -> None:
    """Before: each '[' of '[[[[...' was tried a thousand levels deep (11 s at 50,000 characters)."""
    extracted = extract("Send " + "[" * 5000 + " and [NaN, 1] too")
    assert next(d.value for d in extracted.items if d.kind == "json")[1] == 1
