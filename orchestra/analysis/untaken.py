"""The user's data no step has taken yet, per kind, in the request's order.

A step whose tool takes a kind of data its clause does not name is handed what the request gave elsewhere,
the first such item no step took yet ("Given the photo 'x.jpg'. Caption it."). Found by scanning every item of
the kind for every step, a request of thousands of clauses each naming its own item took time in the square of
its length ("write 'x' to out.txt and run ls, " over and over: 0.9 / 5.0 / 14.3 s at 15,000 / 60,000 /
120,000 characters). Here each item is set aside once it is taken: what the steps took only grows.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable

from orchestra.analysis.data import types_of
from orchestra.analysis.models import DataItem
from orchestra.analysis.so_far import Available, key


class Untaken(Available):
    """``Available``, with per kind a heap of the available items no step has taken, by their place in the
    request. An item leaves a heap for good once taken, as taken items stay taken."""

    def __init__(self, pool: list[DataItem], claims: list[set[int]]) -> None:
        self._place = {id(d): n for n, d in enumerate(pool)}
        self._by_id = {id(d): d for d in pool}
        self._keys = {id(d): key(d) for d in pool}
        self._heaps: dict[str, list[tuple[int, DataItem]]] = {}
        self._pushed: set[int] = set()
        self.hidden: set[int] = set()  # items the step being planned may not take (`told_of`)
        super().__init__(pool, claims)
        for item in self.items:
            self._push(item)

    def passed(self, claim: Iterable[int]) -> None:
        claim = list(claim)
        super().passed(claim)
        for i in claim:  # only what a clause claimed can become available when it is passed
            if i in self.ids and i not in self._pushed:
                self._push(self._by_id[i])

    def first(self, kind: str, taken: Collection[tuple[str, str]], but: list[DataItem]) -> DataItem | None:
        """The first available item of ``kind`` whose key is not in ``taken``, other than those in ``but``
        (a step's own data, few)."""
        heap = self._heaps.get(kind, [])
        held: list[tuple[int, DataItem]] = []
        found = None
        while heap:
            entry = heapq.heappop(heap)
            if self._keys[id(entry[1])] in taken:
                continue  # taken for good
            held.append(entry)
            if entry[1] not in but and id(entry[1]) not in self.hidden:
                found = entry[1]
                break
        for entry in held:
            heapq.heappush(heap, entry)
        return found

    def all(self, kind: str, taken: Collection[tuple[str, str]], but: list[DataItem]) -> list[DataItem]:
        """Every available item of ``kind`` not taken and not in ``but``, in the request's order."""
        heap = self._heaps.get(kind, [])
        kept = [entry for entry in heap if self._keys[id(entry[1])] not in taken]
        kept.sort(key=lambda entry: entry[0])
        heap[:] = kept  # a sorted list is a heap
        return [d for _, d in kept if d not in but and id(d) not in self.hidden]

    def of(self, kind: str) -> list[DataItem]:
        return [d for d in super().of(kind) if id(d) not in self.hidden]

    def _push(self, item: DataItem) -> None:
        self._pushed.add(id(item))
        for kind in dict.fromkeys(types_of(item)):
            heapq.heappush(self._heaps.setdefault(kind, []), (self._place[id(item)], item))
