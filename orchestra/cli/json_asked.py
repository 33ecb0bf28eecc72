"""Whether a command line click refused asked for JSON (``--json``): its refusal is then on stdout as JSON
too, as a failure after parsing is (app.py). A script running `status --json` with a missing id read an
empty stdout, not JSON."""

from __future__ import annotations

from collections.abc import Sequence

import click

JSON_FLAG = "--json"


def asked_for_json(exc: click.ClickException, argv: Sequence[str]) -> bool:
    """True when the command the line names takes ``--json`` and the line gives it to that command (not as
    the value of another option: ``--reason --json``); when the line names no command that could (a
    misspelt one, a group without its action), when it holds ``--json`` at all."""
    ctx: click.Context | None = getattr(exc, "ctx", None)
    tokens = _own_tokens(ctx, argv)
    command = ctx.command if ctx is not None else None
    if command is None or isinstance(command, click.Group):
        return given(tokens)
    if not any(param.name == "as_json" for param in command.params):
        return False  # `up --json`: refused because the command has no JSON to give
    probe = click.Context(command, ignore_unknown_options=True, resilient_parsing=True)
    try:
        options, _, _ = command.make_parser(probe).parse_args(list(tokens))
    except click.UsageError:  # the line is too broken to read its options (an option missing its value)
        return given(tokens)
    return bool(options.get("as_json"))


def _own_tokens(ctx: click.Context | None, argv: Sequence[str]) -> Sequence[str]:
    """The words of the line after the names of the command ``ctx`` parsed (``schedule create``)."""
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    start = 0
    for name in reversed(names):
        try:
            start = list(argv).index(name, start) + 1
        except ValueError:
            return argv
    return argv[start:]


def given(tokens: Sequence[str]) -> bool:
    """``--json`` among the options, before any ``--`` (after it, every word is an argument)."""
    words = list(tokens)
    return JSON_FLAG in (words[: words.index("--")] if "--" in words else words)
