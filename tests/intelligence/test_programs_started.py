"""A verb of starting runs the program it quotes when something says the quote is a program: a common
program's name ("launch 'ls'", "invoke 'date'"), a path or a flag ("kick off './build.sh'", "spawn
'server --port 8080'"), or the noun ("fire up the program 'hello'"). "launch 'ls'", "invoke 'date'",
"fire up 'uptime'", "spawn 'ls' then say hi" found no tool (the quote stayed text). A quote of other words
stays text ("start 'hello' in French" translates), and a verb of starting before a piece of work named
says only that it is to be done ("start the translation of 'hello'" answered a question, "launch 'hello'
into the translator" read it aloud). Requests written for these tests, the built-ins and the media
catalogue."""

from __future__ import annotations

import pytest

from orchestra.analysis.words import names_program
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


@pytest.mark.parametrize(
    ("task", "command"),
    [
        ("launch 'ls'", "ls"),
        ("invoke 'date'", "date"),
        ("Fire up 'uptime'", "uptime"),
        ("spawn 'ls' then say hi", "ls"),
        ("kick off './build.sh'", "./build.sh"),
        ("start 'server --port 8080'", "server --port 8080"),
        ("fire up the program 'hello'", "hello"),
        ("spawn 'grep -i hello notes.txt'", "grep -i hello notes.txt"),
        ("launch 'ls -la' then summarize it", "ls -la"),
        ("start the program 'date' in French", "date"),
    ],
)
async def test_a_verb_of_starting_runs_a_quoted_program(task: str, command: str) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    run = result.execution.plan.nodes[0]
    assert run.tool == "shell" and run.args["cmd"] == command


def test_what_a_started_program_makes_is_worked_on() -> None:
    assert tools_chosen("Launch 'cat notes.txt' and translate its output") == ["shell", "translate_text"]


@pytest.mark.parametrize(
    "task", ["start 'hello' in French", "invoke 'the spirit' in a poem", "launch the rocket", "begin 'good morning'"]
)
def test_a_quote_nothing_calls_a_program_is_no_command(task: str) -> None:
    assert "shell" not in tools_chosen(task)


# attack79: a quote that opens with a program's name, a path or a flag and goes on in prose is text, and so is
# one word a program is named by that is put into a language, and a quote after a program's: each of these
# was run by the shell.
@pytest.mark.parametrize(
    "task",
    [
        "start 'ls is short for list' in French",
        "start 'rm -rf / is dangerous' in French",
        "invoke '/etc/passwd is a file' in a summary",
        "start 'cat videos' in a search",
        "start 'the -v flag' in French",
        "trigger 'make it happen' in German",
        "begin 'date night ideas' as a list",
        "start 'date' in French",
        "begin 'free' in German",
        "launch 'ls' and 'the tree is tall'",
        "invoke 'pwd' 'rm -rf is a bad idea'",
    ],
)
def test_prose_that_opens_like_a_program_is_not_run(task: str) -> None:
    assert "shell" not in tools_chosen(task)


@pytest.mark.parametrize(
    ("quoted", "program"),
    [
        ("ls", True),
        ("make test", True),
        ("python3 script.py --n 3", True),
        ("bin/serve", True),
        ("ls is short for list", False),
        ("rm -rf / is dangerous", False),
        ("time flies like an arrow", False),
        ("and/or", False),
        ("cat videos.", False),
    ],
)
def test_a_program_is_named_by_its_whole_quote(quoted: str, program: bool) -> None:
    assert names_program(quoted) is program


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("start the translation of 'hello'", ["translate_text"]),
        ("launch 'hello' into the translator", ["translate_text"]),
        ("kick off a summary of 'a long story about a cat'", ["summarize_text"]),
        ("Initiate the transcription of talk.wav", ["transcribe_audio"]),
    ],
)
def test_a_verb_of_starting_a_named_piece_of_work_does_it(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


# attack86: a program's quote followed by prose other than a language ran: "start 'sort -o notes.txt' in bold"
# emptied notes.txt, "begin 'uniq a.txt b.txt' in a haiku" wrote over b.txt. A verb of starting runs its quote
# only when the quote is the clause's whole object.
@pytest.mark.parametrize(
    "task",
    [
        "start 'sort -o notes.txt' in bold",
        "kick off 'sort -o notes.txt' in a limerick",
        "start 'uniq a.txt b.txt' in my poem",
        "start 'uniq a.txt b.txt' as a chapter heading",
        "begin 'uniq a.txt b.txt' in a haiku",
        "fire up 'uniq a.txt b.txt' in a song",
    ],
)
def test_a_started_quote_followed_by_prose_is_text(task: str) -> None:
    assert "shell" not in tools_chosen(task)


@pytest.mark.parametrize(
    ("task", "command"),
    [("launch 'ls' in src/", "ls"), ("start 'wc -l' on notes.txt", "wc -l notes.txt"), ("launch 'ls'.", "ls")],
)
async def test_a_started_quote_runs_where_a_named_file_or_folder_says(task: str, command: str) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    assert [n.args["cmd"] for n in result.execution.plan.nodes if n.tool == "shell"] == [command]
