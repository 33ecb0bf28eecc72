"""What a hand-over stores, in pieces that each fit the storage limit (workflow code: pure and deterministic).

The values go to the store as one local activity's argument, a list the SDK writes as one payload and stores
outside the history when it encodes the workflow task's completion; the activity then stores each value alone.
Over the storage limit that encoding failed ("StoredPayloadTooLarge: payload of 535,961 bytes") and Temporal
retried the task for ever: the run never ended. So the list is measured as the payload converter writes it,
with room for what the codec wraps around it (encryption's nonce, tag and key id, not seen in workflow code),
and only when it does not fit is it cut: the steps of the chunk in pieces, an undo page in smaller pages, the
values in several calls of the store. A value that cannot be cut (one step's record, one undo with what it
reads, the schedule, one output) and does not fit alone ends the run, saying which it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from orchestra.converter import PayloadConverter
    from orchestra.errors import ErrorKind
    from orchestra.payload_bytes import ENVELOPE_BYTES
    from orchestra.settings import NOTHING_STORED_OUTSIDE
    from orchestra.stored_room import framing_bytes
    from workflows.activity_options import RAISE_THE_LIMIT

# Asked only when the values do not fit in one call: every hand-over that fitted replays as it did.
HAND_OVER_PIECES_PATCH = "hand-over-stored-in-pieces-that-fit"
_converter = PayloadConverter()
Item = TypeVar("Item")


def json_bytes(value: Any) -> int:
    """The bytes of ``value`` as the payload converter writes it (a list's: "[", its items' by commas, "]")."""
    [payload] = _converter.to_payloads([value])
    return len(payload.data)


def in_list_bytes(value: Any) -> int:
    """The bytes of ``value`` as an item of a list (a model that leaves its defaults out alone writes them there)."""
    return json_bytes([value]) - 2


class Fit:
    """The values of one hand-over against ``limit`` (0: nothing is stored outside the history, so nothing to fit)."""

    def __init__(self, limit: int, limit_name: str) -> None:
        self.limit = 0 if limit_name == NOTHING_STORED_OUTSIDE else limit
        self.overhead = framing_bytes() + ENVELOPE_BYTES
        self.room = self.limit - self.overhead  # the JSON bytes of one call's list of values
        self.value_room = self.room - 2  # of one value: stored alone, or alone in a call's list

    def fits(self, values: list[Any]) -> bool:
        return not self.limit or json_bytes(values) <= self.room

    def runs(self, sizes: Sequence[int], room: int) -> list[range]:
        """Consecutive items (their JSON bytes ``sizes``) in as few lists as fit ``room`` each; an item that does
        not fit alone is a list of its own (``cut`` and ``halved`` end the run before)."""
        runs, start, taken = [], 0, 2
        for at, size in enumerate(sizes):
            if at > start and taken + 1 + size > room:
                runs.append(range(start, at))
                start, taken = at, 2
            taken += size + (at > start)
        return [*runs, range(start, len(sizes))] if sizes else []

    def cut(self, items: list[Item], what: Callable[[Item], str]) -> list[list[Item]]:
        """``items`` (a value that is a list) in consecutive lists that each fit as one value; an item that
        cannot fit alone ends the run."""
        sizes = [in_list_bytes(item) for item in items]
        for item, size in zip(items, sizes, strict=True):
            if size + 2 > self.value_room:
                raise too_large(what(item), size + 2 + self.overhead, self.limit)
        return [items[run.start : run.stop] for run in self.runs(sizes, self.value_room)]

    def fits_alone(self, item: Any) -> bool:
        """Whether ``item`` fits as the one item of a value that is a list (what ``cut`` asks of each)."""
        return not self.limit or in_list_bytes(item) + 2 <= self.value_room

    def halved(self, items: list[Item], build: Callable[[list[Item]], Any], what: Callable[[Item], str]) -> list[Any]:
        """The values ``build`` makes of ``items``, halved until each fits (a page's scope is what its own items
        read: it is built again for each half); one item that does not fit alone ends the run."""
        value = build(items)
        size = in_list_bytes(value)
        if size <= self.value_room:
            return [value]
        if len(items) == 1:
            raise too_large(what(items[0]), size + self.overhead, self.limit)
        half = len(items) // 2
        return [*self.halved(items[:half], build, what), *self.halved(items[half:], build, what)]

    def whole(self, value: Any, what: str) -> None:
        """A value that cannot be cut ends the run when it does not fit alone."""
        size = in_list_bytes(value)
        if size > self.value_room:
            raise too_large(what, size + self.overhead, self.limit)

    def calls(self, values: list[Any]) -> list[list[Any]]:
        """The values in as few calls of the store as fit, in order (each fits alone: ``cut``, ``halved``)."""
        return [values[run.start : run.stop] for run in self.runs([in_list_bytes(v) for v in values], self.room)]


def too_large(what: str, size: int, limit: int) -> ApplicationError:
    message = (
        f"{what} is {size:,} bytes as stored, over the storage limit of {limit:,} bytes"
        f" (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES), and it cannot be stored in pieces: {RAISE_THE_LIMIT}"
    )
    details = {"code": "value_too_large", "size": size, "limit": limit}
    return ApplicationError(message, details, type=ErrorKind.SYSTEM, non_retryable=True)
