"""Secrets for tool arguments: ``${secrets.NAME}`` in a plan, ``ORCHESTRA_SECRET_NAME`` on the worker.

Resolved in the activity, just before the tool runs, so the workflow history only ever holds the
reference. Resolved values are masked in the tool's output, which does go into the history.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from orchestra.errors import ToolValidationError

SECRET_REFERENCE = re.compile(r"\$\{\s*secrets\.([A-Za-z0-9_]+)\s*\}")
ENV_PREFIX = "ORCHESTRA_SECRET_"
MASK = "***"


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def misplaced_secrets(args: Mapping[str, Any], secret_args: Sequence[str]) -> list[str]:
    """Argument names that use a secret but are not among the tool's ``secret_args``. Elsewhere a tool
    may transform the value (extract, encode, write then read) past any masking, into the history."""
    return sorted(name for name, value in args.items() if name not in secret_args and uses_secret(value))


def uses_secret(value: Any) -> bool:
    if isinstance(value, str):
        return SECRET_REFERENCE.search(value) is not None
    if isinstance(value, Mapping):
        return any(uses_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(uses_secret(v) for v in value)
    return False


def resolve_secrets(value: Any, env: Mapping[str, str] | None = None) -> tuple[Any, list[str]]:
    """Replace every ``${secrets.NAME}`` in ``value``; return the new value and the secrets used."""
    source = os.environ if env is None else env
    used: list[str] = []

    def one(match: re.Match[str]) -> str:
        variable = env_name(match.group(1))
        if not source.get(variable):
            raise ToolValidationError(
                f"secret {match.group(1)!r} is not set on the worker (environment variable {variable})",
                code="missing_secret",
            )
        used.append(source[variable])
        return source[variable]

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return SECRET_REFERENCE.sub(one, item)
        if isinstance(item, Mapping):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value), used


def mask_secrets(value: Any, secrets: list[str]) -> Any:
    """``value`` with every occurrence of the given secret values replaced by ``***``."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in sorted(secrets, key=len, reverse=True):
            value = value.replace(secret, MASK)
        return value
    if isinstance(value, Mapping):
        return {k: mask_secrets(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v, secrets) for v in value]
    return value
