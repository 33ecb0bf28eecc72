"""Constant-time lookup by id in a model's list (plans and records of thousands of steps are searched
once per step event; a linear search there makes a whole run quadratic)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class IdIndex(Generic[T]):
    def __init__(self, key: Callable[[T], str]) -> None:
        self._key = key
        self._source: tuple[int, int] = (0, -1)
        self._items: dict[str, T] = {}

    def get(self, items: Sequence[T], item_id: str) -> T:
        # Rebuilt when the list is replaced or grows; the lists here are never edited in place.
        if self._source != (id(items), len(items)):
            self._items = {self._key(item): item for item in items}
            self._source = (id(items), len(items))
        try:
            return self._items[item_id]
        except KeyError:
            raise KeyError(f"no {item_id!r}") from None
