"""A file said by what another holds ("the file it names", "the files listed in it", "the path it contains") is not
that other file (attack164): "Read list.txt, then delete the files listed in it" deleted list.txt, "Read config.json,
then overwrite the file it names with 'x'" wrote config.json twice (once with 'x', once with what it held), "Read
config.json, then post the file it names to URL" posted config.json. The plan
asks which file; the file pointed at for itself ("delete the file so that it is gone") is still the one read."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _changed(task: str, tool: str, *catalogues: Path) -> tuple[list[object], list[str]]:
    """The paths the plan's calls of ``tool`` are given, and the inputs it asks for (with the built-ins as the CLI
    has them, and ``catalogues``)."""
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    return [n.args.get("path") for n in nodes if n.tool == tool], result.execution.missing_inputs


@pytest.mark.parametrize(
    "task",
    [
        "Read config.json, then delete the file it names",
        "Read config.json, then delete the file named in it",
        "Read list.txt, then delete the files listed in it",
        "Read list.txt, then delete the file listed there",
        "Read list.txt, then delete the file that it mentions",
        "Read list.txt and delete the file whose name it holds",
        "Read list.txt, then delete the path it contains",
        "Read list.txt, then delete everything it lists",
    ],
)
async def test_a_delete_of_the_file_another_names_asks_which(task: str) -> None:
    paths, asked = await _changed(task, "delete_file")
    assert paths == ["${inputs.delete_file_path}"] and asked == ["delete_file_path"], (paths, asked)
    paths, asked = await _changed(task, "delete_file", MEDIA)  # its tools may answer instead: no file read goes
    assert all(p == "${inputs.delete_file_path}" for p in paths), (paths, asked)


@pytest.mark.parametrize(
    "task",
    [
        'Read config.json, then overwrite the file it names with "x"',
        'Read a.txt, then overwrite the file it names with "x"',
        'Read list.txt, then write "x" to the file named in it',
    ],
)
async def test_a_write_to_the_file_another_names_asks_where(task: str) -> None:
    paths, asked = await _changed(task, "write_file")
    assert paths == ["${inputs.write_file_path}"] and asked == ["write_file_path"], (paths, asked)


@pytest.mark.parametrize(
    ("task", "tool", "path"),
    [
        ("Read a.txt, then delete the file so that it is gone", "delete_file", "a.txt"),
        ("Read a.txt, then delete the file because it is old", "delete_file", "a.txt"),
        ("Read a.txt, then delete the file, it is old", "delete_file", "a.txt"),
        ("Read notes.txt, then delete the document", "delete_file", "notes.txt"),
        ('Read config.json, then overwrite it with "x"', "write_file", "config.json"),
    ],
)
async def test_the_file_pointed_at_itself_is_still_the_one_read(task: str, tool: str, path: str) -> None:
    paths, asked = await _changed(task, tool)
    assert paths == [path] and not asked, (paths, asked)


@pytest.mark.parametrize(
    ("task", "body"),
    [
        ("Read config.json, then post the file it names to https://example.com/u", "${inputs.http_request_body}"),
        ("Read list.txt, then upload the file listed in it to https://example.com/u", "${inputs.http_request_body}"),
        ("Read a.txt, then post it to https://example.com/u", "${read.output.content}"),  # "it" is what was read
    ],
)
async def test_what_is_sent_of_the_file_another_names_is_asked(task: str, body: str) -> None:
    # the file read went to the URL: config.json, a file the user named only to say which one to send
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None
    sent = [n.args.get("body") for n in result.execution.plan.nodes if n.tool == "http_request"]
    assert sent == [body], sent
