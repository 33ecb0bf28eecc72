"""The request's literals (paths, URLs, JSON, quotes, numbers) are read whole or not at all, and what the
run would not read as the user meant is asked for (attack37, fix38)."""

from __future__ import annotations

import asyncio
import json

import pytest

from orchestra.analysis.data import disguised_path, extract
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, as_the_cli_plans


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
        "Read a.txt.zzz",  # was a.txt.bak, now a file's name whole: a copy's ending (plan182)
    ],
)
def test_a_path_is_never_read_from_the_middle_of_a_word(task: str) -> None:
    """Before: '~~/x.txt' was read as '~/x.txt', 'C:%TEMP%/x.txt' as '%TEMP%/x.txt', '$(whoami)/a.txt' as the
    absolute '/a.txt': another file than the one named. A path starts where its token does; a whole token the
    run would not read as written is a path to ask for (attack44)."""
    token = task.removeprefix("Read ")
    assert all(d.value == token and disguised_path(d.value) for d in extract(task).items if d.kind == "path")


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
    execution = asyncio.run(plan_task(task, as_the_cli_plans())).execution
    assert execution.plan is not None
    node = next(n for n in execution.plan.nodes if n.tool == tool)
    assert node.args[name] == f"${{inputs.{tool}_{name}}}"


def test_a_file_from_a_home_is_asked_for_by_a_described_tool_too() -> None:
    execution = asyncio.run(plan_task("Caption ~/photo.jpg", default_registry([MEDIA]))).execution
    assert execution.plan is not None
    args = json.dumps([n.args for n in execution.plan.nodes])
    assert "~/photo.jpg" not in args and "${inputs." in args


@pytest.mark.parametrize(
    ("task", "urls"),
    [
        ("See https://en.wikipedia.org/wiki/Rust_(language), then", ["https://en.wikipedia.org/wiki/Rust_(language)"]),
        ("See (https://a.com/x).", ["https://a.com/x"]),
        ("Fetch http://[::1]:8000/a, then http://.", ["http://[::1]:8000/a"]),
        ('See "https://a.com/x".', ["https://a.com/x"]),
        (
            "See http://u@b.example.com/x and https://bücher.de/a?b=1.",
            ["http://u@b.example.com/x", "https://bücher.de/a?b=1"],
        ),
    ],
)
def test_a_url_is_read_whole_without_what_stands_around_it(task: str, urls: list[str]) -> None:
    """Before: a Wikipedia URL ended at its '(', a quoted URL was a URL and a text ' @u0 ' besides, and an
    IPv6 host left 'http://' alone as the URL."""
    assert read(task) == [("url", u) for u in urls]


def test_a_url_inside_quoted_words_is_part_of_the_words() -> None:
    """Before: the quote's text was 'see  @u0  now': the tool would have been given a placeholder."""
    assert ("text", "see http://x.com/a now") in read("Translate 'see http://x.com/a now' into German")


@pytest.mark.parametrize("task", ["Summarize @p7 and write it to out.txt", "Translate 'hi @u0 there' into German"])
def test_the_requests_own_at_sign_and_letter_is_no_placeholder(task: str) -> None:
    """Before: '@p7' in the request was read as the placeholder of an eighth item: IndexError out of plan."""
    execution = asyncio.run(plan_task(task, default_registry([MEDIA]))).execution
    assert execution.plan is not None or execution.problems
    assert all("@p7" not in str(d.value) or "@p7" in task for d in extract(task).items)


def test_an_email_and_json_keep_their_at_sign() -> None:
    assert read('Mail bob@x1.com the JSON {"to": "@j2"}') == [("json", {"to": "@j2"}), ("text", "bob@x1.com")]


@pytest.mark.parametrize(
    ("task", "seconds"),
    [
        ("Sleep 5,000 seconds", [5000.0]),
        ("Sleep 2.5 minutes, then 300ms", [150.0, 0.3]),
        ("Sleep -5 s", []),
        ("Sleep 1.5.3 s", []),
        ("Sleep 1,5 s", []),
        ("Sleep 0x10 s", []),
        ("Sleep 1e999 s", []),
        ("Sleep 1" + "0" * 400 + " s", []),
    ],
)
def test_a_number_is_read_whole_or_not_at_all(task: str, seconds: list[float]) -> None:
    """Before: '5,000 seconds' was 0 s ('000 seconds' read alone) and 400 digits were an infinite wait."""
    assert [v for k, v in read(task) if k == "number"] == seconds


@pytest.mark.parametrize(
    ("task", "quotes"),
    [
        ("Say 'What's up' and 'l'économie'", ["What's up", "l'économie"]),
        ("Say 'it's John's car' please", ["it's John's car"]),
        ("Say \u2018a\u2019 and \u2018b\u2019", ["a", "b"]),
    ],
)
def test_quotes_keep_the_apostrophes_between_letters(task: str, quotes: list[str]) -> None:
    assert [v for k, v in read(task) if k == "text"] == quotes


def test_a_quote_opened_after_a_space_ends_the_one_before() -> None:
    """Before: each of "'a 'a 'a ..." took every later apostrophe as inside it and was read to the end of the
    request: quadratic, 285 s at 80,000 characters. An apostrophe after a space opens a quote."""
    assert read("Say 'a 'b' now") == [("text", "b")]


def test_json_longer_than_a_window_is_read_whole() -> None:
    value = {"k": ["v" * 3000] * 3, "n": list(range(2000)), "s": "[[[[" * 100}
    assert read(f"Post {json.dumps(value)} to out.json") == [("json", value), ("path", "out.json")]


def test_json_nested_past_any_plan_argument_is_no_data_and_what_follows_still_is() -> None:
    """Before: each '[' of '[[[[...' was tried a thousand levels deep (11 s at 50,000 characters)."""
    extracted = extract("Send " + "[" * 5000 + " and [NaN, 1] too")
    assert next(d.value for d in extracted.items if d.kind == "json")[1] == 1
