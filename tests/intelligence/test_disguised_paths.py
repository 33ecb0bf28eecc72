"""A file the request names in a form the run would not read as written is asked for, never replaced by a
default or by a piece of it (attack44): a share, a URL to a file, a backslash, an escaped or look-alike
slash, a variable, a command or quotes inside it; and a quoted file name may hold spaces."""

from __future__ import annotations

import asyncio
import json

import pytest

from orchestra.analysis.data import extract
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def write_args(task: str) -> dict[str, object]:
    execution = asyncio.run(plan_task(task, default_registry())).execution
    assert execution.plan is not None
    return next(n.args for n in execution.plan.nodes if n.tool == "write_file")


@pytest.mark.parametrize(
    "place",
    [
        "$HOME\\out.txt",
        "C:\\Users\\me\\out.txt",
        "\\\\host\\share\\out.txt",
        "file:///tmp/out.txt",
        "..%2f..%2fout.txt",
        "\uff5e/out.txt",  # a fullwidth tilde
        "a\u2215out.txt",  # a division slash
        "data/$DATE/out.txt",
        "$(whoami)/out.txt",
        "`whoami`/out.txt",
        '"$HOME"/out.txt',
        "'~'/out.txt",
        "a\x00out.txt",
    ],
)
def test_a_destination_in_disguise_is_asked_for(place: str) -> None:
    """Before: each was left as words and write_file wrote output.txt, a file the user did not name; the
    command and the quotes left '/out.txt', an absolute path, to write."""
    args = write_args(f"Write 'hello' to {place}.")
    assert args["path"] == "${inputs.write_file_path}"
    assert args["content"] == "hello"


@pytest.mark.parametrize("task", ["Read `whoami`/a.txt", 'Read "x"/a.txt', "Read $(id)/a.txt"])
def test_no_piece_of_a_file_name_is_read_as_a_path_of_its_own(task: str) -> None:
    assert not any(d.kind == "path" and str(d.value).startswith("/") for d in extract(task).items)


@pytest.mark.parametrize(
    ("task", "path"),
    [
        ("Write 'hi' to \"my notes.txt\"", "my notes.txt"),
        ("Write 'hi' into 'Q3 final report.txt'.", "Q3 final report.txt"),
    ],
)
def test_a_quoted_file_name_with_spaces_is_where_a_result_goes(task: str, path: str) -> None:
    """Before: the name was a text and write_file wrote output.txt."""
    assert write_args(task) == {"path": path, "content": "hi"}


def test_a_quoted_file_name_with_spaces_is_read_not_summarized() -> None:
    """Before: summarize_text was given the file's name as the text to summarize."""
    execution = asyncio.run(plan_task('Summarize "my notes.txt"', default_registry([MEDIA]))).execution
    assert execution.plan is not None
    first = execution.plan.nodes[0]
    assert (first.tool, first.args.get("path")) == ("read_file", "my notes.txt")


def test_a_quoted_sentence_that_ends_with_a_file_name_stays_words() -> None:
    execution = asyncio.run(plan_task('Translate "I love notes.txt" into French', default_registry([MEDIA]))).execution
    assert execution.plan is not None
    assert json.dumps([n.args for n in execution.plan.nodes]).count("I love notes.txt") == 1
    assert "read_file" not in [n.tool for n in execution.plan.nodes]


# (a URL with a password, "https://u:p@h.example:8443/a.txt", is asked for since fix47: test_credentials_said.py)
@pytest.mark.parametrize("url", ["http://127.0.0.1:8234/api/status.json", "https://u@h.example:8443/a.txt"])
def test_a_url_to_a_file_is_no_disguised_path(url: str) -> None:
    """A URL holds ':' as a path the run reads as written may not: it is fetched, not asked for."""
    execution = asyncio.run(plan_task(f"Download {url}", default_registry())).execution
    assert execution.plan is not None
    assert execution.plan.nodes[0].args["url"] == url
