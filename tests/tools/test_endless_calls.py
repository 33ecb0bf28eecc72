"""A call's argv as filled is judged before it starts (attack110): a tools file's argv is judged at load with its
placeholders as plain words, and planning judges the commands it reads, but ``[sleep, "{{ n }}"]`` called with
1000, or a shell command taken from a step's output, ran until its timeout, and the timeout was retried. A wrapper
(``nice``, ``env``, ``busybox``, ``sh -c``, ``timeout 0``) hid an endless command from both checks."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import orchestra
from orchestra.command_wrappers import wrapped
from orchestra.commands import never_ends
from orchestra.confinement import DEFAULT_COMMANDS, Confinement
from orchestra.errors import ToolValidationError
from orchestra.tool_spec import ToolContext
from orchestra.tools.described import load_tool_file
from orchestra.tools.shell import shell_tool
from orchestra.tools.tool_files import CODE
from tests.tools.command_tool_files import command_tool_file


def _file(tmp_path: Path, argv: str, extra: str = "") -> Path:
    return command_tool_file(tmp_path, argv, extra, name="waiter", input_name="n")


def _context(tmp_path: Path, *programs: str) -> ToolContext:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    return ToolContext(confinement=Confinement(workspace=workspace, allowed_commands=(*DEFAULT_COMMANDS, *programs)))


@pytest.mark.parametrize(
    ("argv", "value", "why"),
    [
        ('[sleep, "{{ n }}"]', "1000", "sleep 1000 s is past the shell's timeout of 60 s"),
        ('[sleep, "{{ n }}"]', "inf", "sleep waits forever"),
        ('[timeout, "{{ n }}", yes]', "0", "yes prints its line without end, run by timeout"),
        # durations GNU timeout reads as strtod does: no limit, and one past the tool's timeout
        ('[timeout, "{{ n }}", yes]', "inf", "yes prints its line without end, run by timeout"),
        ('[timeout, "{{ n }}", yes]', "1e3", "yes prints its line without end, run by timeout"),
        ('[env, -S, "{{ n }}"]', "tail -f x", "tail follows the file for lines to come, without end, run by env"),
        ('[xargs, "{{ n }}"]', "yes", "yes prints its line without end, run by xargs"),
        ('[sh, -c, "$0", "{{ n }}"]', "yes", "yes prints its line without end, run by sh"),
    ],
)
async def test_a_filled_argv_that_never_ends_is_not_started(tmp_path: Path, argv: str, value: str, why: str) -> None:
    (tool,) = load_tool_file(_file(tmp_path, argv))
    with pytest.raises(ToolValidationError) as info:
        await tool.run(
            tool.spec.input_model.model_validate({"n": value}), _context(tmp_path, "timeout", "env", "xargs", "sh")
        )
    assert info.value.code == "never_ends" and not info.value.retryable
    assert why in str(info.value) and value not in str(info.value).split("(")[0]  # the program named, not its values


async def test_a_placeholder_filled_with_an_option_that_follows_is_not_started(tmp_path: Path) -> None:
    (tool,) = load_tool_file(_file(tmp_path, '[tail, "{{ n }}", log.txt]', "allow_option_values: true"))
    with pytest.raises(ToolValidationError, match="tail follows the file") as info:
        await tool.run(tool.spec.input_model.model_validate({"n": "-f"}), _context(tmp_path))
    assert info.value.code == "never_ends"


async def test_a_shell_command_given_at_the_call_is_judged_as_it_is_run(tmp_path: Path) -> None:
    tool = shell_tool()
    args = tool.spec.input_model.model_validate({"command": ["nice", "-n", "5", "tail", "-f", "log.txt"]})
    with pytest.raises(ToolValidationError, match=r"tail follows the file.*run by nice") as info:
        await tool.run(args, _context(tmp_path, "nice"))
    assert info.value.code == "never_ends"


@pytest.mark.parametrize(
    ("command", "why"),
    [
        (["env", "-S", "yes"], "yes prints its line without end, run by env"),
        (["xargs", "tail", "-f"], "tail follows the file for lines to come, without end, run by xargs"),
        (["timeout", "inf", "yes"], "yes prints its line without end, run by timeout"),
    ],
)
async def test_a_shell_command_behind_env_s_xargs_or_an_endless_timeout_is_refused_at_the_call(
    tmp_path: Path, command: list[str], why: str
) -> None:
    tool = shell_tool()
    args = tool.spec.input_model.model_validate({"command": command})
    with pytest.raises(ToolValidationError) as info:
        await tool.run(args, _context(tmp_path, command[0]))
    assert info.value.code == "never_ends" and why in str(info.value)


async def test_xargs_r_runs_its_command_only_on_a_call_giving_it_input(tmp_path: Path) -> None:
    """GNU xargs -r runs nothing on no input: a call giving none ends at once; one giving text runs yes on it."""
    tool, context = shell_tool(), _context(tmp_path, "xargs")
    ended = await tool.run(tool.spec.input_model.model_validate({"command": ["xargs", "-r", "yes"]}), context)
    assert ended.model_dump()["exit_code"] == 0 and ended.model_dump()["stdout"] == ""
    given = tool.spec.input_model.model_validate({"command": ["xargs", "-r", "yes"], "stdin": "a"})
    with pytest.raises(ToolValidationError, match="run by xargs") as info:
        await tool.run(given, context)
    assert info.value.code == "never_ends"


@pytest.mark.parametrize(
    "command",
    [["chrt", "-o", "0", "yes"], ["taskset", "1", "yes"], ["sh", "-c", "exec yes"], ["bash", "-c", "--", "yes"]],
)
async def test_a_command_behind_chrt_taskset_or_exec_is_refused_at_the_call(tmp_path: Path, command: list[str]) -> None:
    tool = shell_tool()
    args = tool.spec.input_model.model_validate({"command": command})
    with pytest.raises(ToolValidationError, match="yes prints its line without end") as info:
        await tool.run(args, _context(tmp_path, command[0]))
    assert info.value.code == "never_ends"


async def test_a_filled_argv_that_ends_runs(tmp_path: Path) -> None:
    (tool,) = load_tool_file(_file(tmp_path, '[sleep, "{{ n }}"]'))
    result = await tool.run(tool.spec.input_model.model_validate({"n": "0"}), _context(tmp_path))
    assert result.model_dump()["exit_code"] == 0


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        ("[nice, yes]", "yes prints its line without end, run by nice"),
        ('[nice, -n, "5", yes]', "run by nice"),
        ('[env, FOO=1, tail, -f, "{{ n }}"]', "tail follows the file for lines to come, without end, run by env"),
        ("[busybox, yes]", "run by busybox"),
        ('[sh, -c, "tail -f x"]', "run by sh"),
        ('[bash, -lc, "yes"]', "run by bash"),
        ('[timeout, "0", sleep, "100"]', "sleep 100 s is past the shell's timeout of 60 s, run by timeout"),
        ("[stdbuf, -oL, nohup, yes]", "run by stdbuf nohup"),
        ('[timeout, "1e3", yes]', "run by timeout"),
        ('[timeout, "0x1p10", yes]', "run by timeout"),
        ("[timeout, inf, yes]", "run by timeout"),
        ("[timeout, Infinity, nice, yes]", "run by timeout nice"),
        ('[env, -S, "yes"]', "run by env"),  # env splits the string itself: split as it does, and judged
        ('[env, -i, "-SFOO=1 tail -f x"]', "tail follows the file for lines to come, without end, run by env"),
        ('[env, "--split-string=nice yes"]', "run by env nice"),
        ("[xargs, yes]", "run by xargs"),  # yes once on no input, and on any a call's stdin gives
        ("[xargs, -r, -n, '1', -I, '{}', yes, '{}']\n            stdin: \"{{ n }}\"", "run by xargs"),
        ("[xargs, -in, yes]", "run by xargs"),  # -i's replace string is n, glued: not -n taking yes as its count
        ('[xargs, -a, list, sleep, "100"]', "sleep 100 s is past the shell's timeout of 60 s, run by xargs"),
        # wrappers whose command follows an operand (a priority, a CPU mask), and the shell's own exec and command
        ('[chrt, -f, "5", yes]', "run by chrt"),
        ('[taskset, -c, "0", yes]', "run by taskset"),
        ('[sh, -c, "exec yes"]', "run by sh exec"),
        ('[sh, -c, "command yes"]', "run by sh command"),
        ("[exec, -a, name, yes]", "run by exec"),
        ("[bash, -c, --, yes]", "run by bash"),  # the script after the --, not -- as the script
        ('[sh, -c, "$0", yes]', "run by sh"),  # the script's positional parameters, put in
        ("[sh, -c, '\"$@\"', sh, tail, -f, x]", "tail follows the file for lines to come, without end, run by sh"),
        ('[sh, -c, "sleep ${1}", sh, "100"]', "sleep 100 s is past the shell's timeout of 60 s, run by sh"),
        ('[xargs, -r, yes]\n            stdin: "{{ n }}"', "run by xargs"),  # -r: runs on any input given
    ],
)
def test_an_endless_command_behind_a_wrapper_is_refused_at_load(tmp_path: Path, argv: str, why: str) -> None:
    with pytest.raises(ValueError, match="never ends") as info:
        load_tool_file(_file(tmp_path, argv))
    assert why in str(info.value)


@pytest.mark.parametrize(
    "argv",
    [
        '[timeout, "5", yes]',  # ended by the wrapper before the tool's timeout
        '[sh, -c, "yes | head -n 1"]',  # shell syntax: not read as one command
        '[env, -S, "y${E}s"]',  # env expands ${E} in the string: not read
        '[env, -S, "ls -l"]',
        "[timeout, soon, yes]",  # a duration timeout refuses: it exits 125 at once
        "[timeout, nan, yes]",
        '[timeout, "0x10", yes]',  # 16 s, before the tool's timeout
        '[timeout, "1e1", yes]',
        "[xargs, ls]",
        '[nice, ls, "{{ n }}"]',
        '[timeout, "{{ n }}", yes]',  # the value is not known before a call
        "[xargs, -r, yes]",  # runs nothing: no input is given to a tool that declares none
        "[xargs, --no-run-if-empty, yes]",
        '[env, "-iS$X", yes]',  # -S in a bundle: a string env expands (here refuses), not -i before yes
        '[chrt, -p, "5", "1"]',  # a running process's priority: no command
        "[taskset, -pc, '0', '1']",
        "[command, -v, yes]",  # says where yes is
        '[sh, -c, "$0", "y*"]',  # an unquoted parameter is split and globbed: not read
        '[sh, -c, "$0", "{{ n }}"]',
    ],
)
def test_a_wrapped_command_that_ends_or_cannot_be_judged_loads(tmp_path: Path, argv: str) -> None:
    (tool,) = load_tool_file(_file(tmp_path, argv))
    assert tool.name == "waiter"


def test_the_code_judging_an_argv_at_load_keys_the_files_cache() -> None:
    """A file's entry is kept under the code that checked it; the argv is judged by commands' code, so a file
    cached before a wrapper was read loaded from its entry, unjudged (this test module's own load tests did,
    with entries kept before this change)."""
    judges = {
        Path(inspect.getfile(f)).relative_to(Path(inspect.getfile(orchestra)).parent).as_posix()
        for f in (never_ends, wrapped)
    }
    assert judges <= set(CODE), judges - set(CODE)
