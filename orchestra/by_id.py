"""Constant-time lookup by id in a model's list (plans and records of thousands of steps are searched
once per step event; a linear search there makes a whole run quadratic)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class IdIndex(Generic[T]):
    def __init__(self, key: Callable[[T], str]) -> None:
        self._key = key
        self._source: tuple[int, int] = (0, -1)
        self._items: dict[str, T] = {}
        self._places: Mapping[str, int] | None = None  # each id's index in the list (``placed``), if given

    def placed(self, items: Sequence[T], places: Mapping[str, int]) -> None:
        """Look ``items`` up by ``places``, each id's index in them, built elsewhere a piece at a time: the map built
        here is a walk of them all in one go (a plan of 150,000 steps: over 100 ms of CPU in a workflow activation)."""
        self._source, self._items, self._places = (id(items), len(items)), {}, places

    def get(self, items: Sequence[T], item_id: str) -> T:
        # Rebuilt when the list is replaced or grows; the lists here are never edited in place.
        if self._source != (id(items), len(items)):
            self._build(items)
        if self._places is not None:
            at = self._places.get(item_id)
            if at is not None and at < len(items) and self._key(items[at]) == item_id:
                return items[at]
            self._build(items)  # places of another list: looked up as if none were given
        try:
            return self._items[item_id]
        except KeyError:
            raise KeyError(f"no {item_id!r}") from None

    def _build(self, items: Sequence[T]) -> None:
        self._items = {self._key(item): item for item in items}
        self._source, self._places = (id(items), len(items)), None
