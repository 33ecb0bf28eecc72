"""The strings inside a value of nested mappings and lists: read by the masker (every string a plan holds
is remembered) and by the plan's checks, which import none of the masker."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping


def strings_within(values: Iterable[object], skipped: Callable[[object], bool] | None = None) -> Iterable[str]:
    """The strings among ``values``, and inside their mappings and lists, at any depth (without recursion),
    but for a mapping's items whose key is ``skipped``."""
    pending = list(values)[::-1]  # a stack, read in the order given: the oldest remembered go first
    seen: set[int] = set()
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping | list | tuple | set) and id(value) not in seen:
            seen.add(id(value))
            if isinstance(value, Mapping):
                value = [item for key, item in value.items() if skipped is None or not skipped(key)]
            pending.extend(reversed(list(value)))
