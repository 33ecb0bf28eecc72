"""How a plan names a secret: ``${secrets.NAME}``, and the looser forms a value may hide one in.

Apart from orchestra/secrets.py, which resolves and masks secrets: planning and checking a plan read only
the names, and the masker's encodings (a tenth of a second of imports and patterns) are the worker's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

SECRET_REFERENCE = re.compile(r"\$\{\s*secrets\.([A-Za-z0-9_]+)\s*\}")
_LOOSE_REFERENCE = re.compile(r"\$\{(?:\s|\\[tnrfb]|\\u[0-9a-fA-F]{4})*secrets\.")
# The whole naming, the secret's name and closing brace too (to the end of the text if it has none): a
# result supplying only the name after the plan's own '${secrets.' chooses the secret as much as one
# supplying the '$'.
_LOOSE_NAMING = re.compile(_LOOSE_REFERENCE.pattern + r"[^}]*\}?")


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


def names_secret(text: str) -> bool:
    """Whether ``text`` — a string, or a value's JSON — may name a secret: looser than
    ``SECRET_REFERENCE`` (whitespace may be JSON-escaped), so it may say yes where ``uses_secret`` on the
    value says no, never the reverse."""
    return _LOOSE_REFERENCE.search(text) is not None


def secret_namings(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` a secret may be named (as ``names_secret`` reads it): each start and end, the
    name and its closing brace included."""
    return [match.span() for match in _LOOSE_NAMING.finditer(text)]
