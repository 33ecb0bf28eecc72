"""Every command taking `--json` says each of its failures on stdout as `{"error", "exit_code"}`, the exit code
the process ends with: a bad command line too (a missing id, an unknown option, a bad value), which click
refused before the command ran and which left stdout empty; and `cancel`, `approve`, `reject` take `--json`
as `pause` and `resume` do."""

from __future__ import annotations

import io
import json

import click
import pytest

from orchestra.cli import invoke
from orchestra.cli.app import load_commands
from tests.cli.cli import Result, clean_env, run_client, use_env

# A failure at run time for each command taking --json: most reach for a server that is not there (exit 3).
RUNTIME_FAILURES: dict[str, tuple[str, ...]] = {
    "agent": ("agent", "list the files"),  # no model configured
    "trajectory": ("trajectory", "some-id"),
    "pause": ("pause", "some-id"),
    "resume": ("resume", "some-id"),
    "cancel": ("cancel", "some-id"),
    "approve": ("approve", "some-id"),
    "reject": ("reject", "some-id"),
    "status": ("status", "some-id"),
    "watch": ("watch", "some-id"),
    "result": ("result", "some-id"),
    "history": ("history", "some-id"),
    "list": ("list",),
    "run": ("run", "--plan", "examples/site_report.yaml"),
    "plan": ("plan", " "),  # an empty task
    "schedule list": ("schedule", "list"),
    "schedule describe": ("schedule", "describe", "some-id"),
    "stats": ("stats",),
    "tools": ("tools", "--registry", "/no/such/tools.yaml"),
    "start": ("start", "--plan", "examples/site_report.yaml"),
    "prune-payloads": ("prune-payloads",),
    "schedule create": ("schedule", "create", "some-id", "--plan", "examples/slow_note.yaml", "--every", "1h"),
    "schedule trigger": ("schedule", "trigger", "some-id"),
    "schedule pause": ("schedule", "pause", "some-id"),
    "schedule unpause": ("schedule", "unpause", "some-id"),
    "schedule delete": ("schedule", "delete", "some-id"),
}
# The local stack's commands print what they started for a person; a script asks `status`, `list`, ...
WITHOUT_JSON = {"up", "down", "demo"}
# `validate` prints its own JSON for a plan it cannot read ({"valid": false, "problems": [...]}, exit 2).


def json_commands() -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            elif any(param.name == "as_json" for param in command.params):
                found[" ".join((*path, name))] = command

    walk(load_commands(), ())
    return found


def required_arguments(command: click.Command) -> bool:
    return any(isinstance(param, click.Argument) and param.required for param in command.params)


async def here(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = await invoke(list(args), out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue())


def said_in_json(result: Result) -> None:
    assert result.code != 0, (result.out, result.err)
    said = json.loads(result.out)
    assert said == {"error": said["error"], "exit_code": result.code} and said["error"], (result.out, result.err)


def said_as_text(result: Result) -> None:
    assert result.code == 2 and result.out == "", (result.out, result.err)


def test_every_json_command_has_a_failure_here() -> None:
    assert set(json_commands()) == {*RUNTIME_FAILURES, "validate"}


def test_every_command_takes_json() -> None:
    """`start` (a script needs the run's id), `prune-payloads` (a scheduled job needs its figures) and the
    schedule actions refused `--json` as a usage error."""
    every: set[str] = set()

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            else:
                every.add(" ".join((*path, name)))

    walk(load_commands(), ())
    assert every - set(json_commands()) == WITHOUT_JSON


@pytest.mark.parametrize("name", sorted(RUNTIME_FAILURES))
async def test_each_failure_of_a_json_command_is_json(
    name: str, closed_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_env(monkeypatch, clean_env(TEMPORAL_ADDRESS=closed_address))
    words = tuple(name.split())
    said_in_json(await here(*RUNTIME_FAILURES[name], "--json"))
    said_in_json(await here(*words, "--json", "--no-such-option"))
    said_in_json(await here(*words, "--no-such-option", "--json"))
    said_in_json(await here(*words, "--json", "--address", "::1:99"))  # a bad value
    if required_arguments(json_commands()[name]):
        said_in_json(await here(*words, "--json"))  # its argument missing
    said_as_text(await here(*words, "--no-such-option"))  # no --json: stdout stays empty


async def test_json_is_asked_of_the_command_by_the_line() -> None:
    said_in_json(await here("stauts", "some-id", "--json"))  # a misspelt command: the line asked for JSON
    said_as_text(await here("pause", "--reason", "--json"))  # --json is the reason here: the id is missing
    said_as_text(await here("up", "--json"))  # `up` has no JSON to give
    said_as_text(await here("status", "--bogus", "--", "--json"))  # after --, an id


async def test_client_py_says_a_refused_line_in_json(closed_address: str) -> None:
    env = clean_env(TEMPORAL_ADDRESS=closed_address)
    said_in_json(await run_client("status", "--json", env=env))
    said_in_json(await run_client("cancel", "some-id", "--json", env=env))
