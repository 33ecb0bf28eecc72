"""The secrets a command line and the environment hand the CLI, remembered before click parses the line: its usage
error quotes what was typed ('Got unexpected extra argument (KEY)', "Invalid value for '--address': 'KEY'"), and
an API key typed where another word was meant, or given to --api-key before the mistake, went out in clear (stderr,
the --json error object)."""

from __future__ import annotations

from collections.abc import Sequence

from orchestra.cli.options import GLOBAL_OPTIONS
from orchestra.secret_settings import kept, secret_settings


def remember_secrets(argv: Sequence[str]) -> None:
    """Every secret setting's value, and every value ``argv`` gives a secret option, masked in whatever the CLI
    says from now on (orchestra/telemetry/own_lines.py: their patterns are built only when a line is masked)."""
    secrets = [*secret_settings(), *secret_arguments(argv), *assigned_secrets(argv)]
    if secrets:
        from orchestra.telemetry.own_lines import remember_when_masking  # here: `--help` needs none of it

        remember_when_masking(*secrets)


SECRET_OPTIONS = frozenset(option.flag for option in GLOBAL_OPTIONS if option.secret)


def secret_arguments(argv: Sequence[str]) -> list[str]:
    """The values ``argv`` gives a secret option (``--api-key KEY``, ``--api-key=KEY``; click takes any next word)."""
    found: list[str] = []
    for at, word in enumerate(argv):
        name, equals, value = word.partition("=")
        if name in SECRET_OPTIONS and (equals or at + 1 < len(argv)):
            found.append(value if equals else argv[at + 1])
    return kept(found)


def assigned_secrets(argv: Sequence[str]) -> list[str]:
    """The values of the secret settings ``argv`` assigns (``ORCHESTRA_SECRET_DB=…`` put after the command, where a
    shell line puts it before it): refused as an extra argument, quoted in clear. A name in any case: either is typed."""
    found: list[str] = []
    for word in argv:
        name, equals, value = word.partition("=")
        if equals:
            found += secret_settings({name.upper(): value})
    return found
