"""A chain's record made whole: the steps earlier runs stored in chunks (``ExecutionRecord.earlier``) read
back and put in their places among the steps the record lists.

A plan run that continues as new does not carry the steps it finished: it stores them, one chunk per
run, and the record keeps the references (workflows/handover.py). Whoever reads a record — the CLI,
a test, an application with the client's converter — gets every step of the whole chain here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio.converter import DataConverter

from orchestra.record import CompensationRecord, ExecutionRecord, StepChunk, StepRecord
from orchestra.storage.stored import StoredValue
from orchestra.storage.values import load_value

# Chunks never change (a stored value is content-addressed), so a process that reads a record again and
# again (`watch`) reads each chunk once.
_CACHE_LIMIT = 1024
_cache: dict[str, Any] = {}


class ChunkUnreadable(RuntimeError):
    pass


async def whole_record(converter: DataConverter, record: ExecutionRecord) -> ExecutionRecord:
    """``record`` with every step of its chain listed, in phase order (itself when it lists them all)."""
    if not record.earlier:
        return record
    total = len(record.steps) + record.steps_not_listed + sum(len(chunk.nodes) for chunk in record.earlier)
    slots: list[StepRecord | None] = [None] * total
    # A run's steps may be stored in several chunks, its undo pages with the last: the undos a compensation ran
    # on them are kept there too, whichever chunk holds the step (a step is undone once in its chain).
    undone = {node: undo for chunk in record.earlier for node, undo in (await chunk_undone(converter, chunk)).items()}
    for chunk in record.earlier:
        for position, step in zip(chunk.positions, await chunk_steps(converter, chunk), strict=True):
            undo = undone.get(step.node_id)
            slots[position] = step if undo is None else step.model_copy(update={"compensation": undo})
    rest = iter(record.steps)
    # A record may leave its last steps out (ExecutionRecord.listed_within): their slots stay.
    listed = (slot if slot is not None else next(rest, None) for slot in slots)
    steps = [step for step in listed if step is not None]
    return record.model_copy(update={"steps": steps, "earlier": []})


async def chunk_steps(converter: DataConverter, chunk: StepChunk) -> list[StepRecord]:
    if chunk.stored is None:
        return chunk.steps
    what = f"the steps run {chunk.run_index + 1} of the chain finished"
    steps: list[StepRecord] = await _load(converter, chunk.stored, what, _steps)
    return steps


async def chunk_undone(converter: DataConverter, chunk: StepChunk) -> dict[str, CompensationRecord]:
    """The undos a failed chain ran on the chunk's steps (workflows/recovery.py), by node."""
    undone: dict[str, CompensationRecord] = {}
    for stored in chunk.undone:
        what = f"the undos of the steps run {chunk.run_index + 1} of the chain finished"
        undone.update(await _load(converter, stored, what, _undos))
    return undone


def _steps(data: Any) -> list[StepRecord]:
    return [StepRecord.model_validate(step) for step in data]


def _undos(data: Any) -> dict[str, CompensationRecord]:
    return {node: CompensationRecord.model_validate(entry) for node, entry in data.items()}


async def _load(converter: DataConverter, stored: StoredValue, what: str, parse: Callable[[Any], Any]) -> Any:
    """``stored`` read back and parsed, once per process (a stored value never changes)."""
    key = stored.claim.get("sha256") or repr(sorted(stored.claim.items()))
    if key not in _cache:
        try:
            data = await load_value(converter, stored)
        except Exception as exc:
            raise ChunkUnreadable(f"{what} cannot be read from storage: {exc}") from None
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = parse(data)
    return _cache[key]
