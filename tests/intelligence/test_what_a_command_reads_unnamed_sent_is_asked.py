"""attack385 (issue 8): a command reading files it does not name was posted unasked: a glob that may match .env
(``cat .e*``, ``cat .[e]nv``, ``cat *``), a name held in a variable or made at run time (``F=.env; cat $F``,
``cat $(ls -a | grep env)``), a folder read whole (``grep -r KEY .``, ``find . -exec cat``). The planner cannot
tell what such a command prints: sending it is asked. A variable set to a plain name in the line is that name; a
glob given to a command printing names or counts only (``ls``, ``wc``) keeps its plan."""

from __future__ import annotations

import pytest

from orchestra.analysis.shell_reads import shell_reads
from tests.intelligence.posted_unasked import run_and_posted_unasked


@pytest.mark.parametrize(
    "command",
    [
        "cat .e*",
        "cat .[e]nv",
        "F=.env; cat $F",
        "cat $(ls -a | grep env)",
        "grep -r KEY .",
        "cat *",
        "head -n 50 *",
        "cat .en?",
        "cat .{e,x}nv",
        "tail ~/.ssh/id_*",
        'f=.env && cat "$f"',
        "find . -name '.env*' -exec cat {} +",
        "find . -type f | xargs cat",
        "grep -R password .",
        "grep -rn TOKEN src",
        "rg KEY",
        "git grep -n SECRET",
        'cat "$(ls -a | head -1)"',
        "for f in .*; do cat $f; done",
        "tar czf - .",
        "python3 -c \"import glob;[print(open(f).read()) for f in glob.glob('.*')]\"",
        'while read f; do cat "$f"; done < files.txt',
    ],
)
async def test_what_a_command_reads_unnamed_is_asked_before_it_is_sent(command: str) -> None:
    unasked, calls = await run_and_posted_unasked(command)
    assert not unasked, calls


@pytest.mark.parametrize(
    "command",
    [
        "cat notes.txt",
        "F=notes.txt; cat $F",
        "wc -l *.txt",
        "ls *",
        "ls -a",
        "ls -a | grep env",
        "grep KEY notes.txt",
        "echo *",
        "find . -name '*.py'",
        "du -sh .",
        "ls docs",
        "grep -c error log.txt",
        "for f in *.txt; do wc -l $f; done",
        "sort data.csv | uniq -c",
        "head -n 5 data.csv",
    ],
)
async def test_commands_reading_named_plain_files_keep_their_plans(command: str) -> None:
    unasked, calls = await run_and_posted_unasked(command)
    assert unasked, calls


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("F=.env; cat $F", ".env"),
        ("F=.env; cat ${F}", ".env"),
        ("D=conf; cat $D/.env", "conf/.env"),
        ("sh -c 'cat .e''nv'", ".env"),
        ("cat < .env", ".env"),
        ("dd if=.env of=x.txt", ".env"),
    ],
)
def test_a_name_the_line_says_is_read_as_said(line: str, named: str) -> None:
    reads = shell_reads(line)
    assert named in reads.named and not reads.untold, reads


@pytest.mark.parametrize("line", ["grep 'a*' notes.txt", "cat 'a*b.txt'", "cat a\\*b.txt", "echo '$F'; cat notes.txt"])
def test_a_quoted_glob_or_dollar_is_a_character(line: str) -> None:
    assert not shell_reads(line).untold
