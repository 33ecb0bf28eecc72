"""A chain's record made whole: the steps earlier runs stored in chunks (``ExecutionRecord.earlier``) read
back and put in their places among the steps the record lists.

A plan run that continues as new does not carry the steps it finished: it stores them, one chunk per
run, and the record keeps the references (workflows/handover.py). Whoever reads a record — the CLI,
a test, an application with the client's converter — gets every step of the whole chain here.
"""

from __future__ import annotations

from temporalio.converter import DataConverter

from orchestra.record import ExecutionRecord, StepChunk, StepRecord
from orchestra.storage.values import load_value

# Chunks never change (a stored value is content-addressed), so a process that reads a record again and
# again (`watch`) reads each chunk once.
_CACHE_LIMIT = 1024
_cache: dict[str, list[StepRecord]] = {}


class ChunkUnreadable(RuntimeError):
    pass


async def whole_record(converter: DataConverter, record: ExecutionRecord) -> ExecutionRecord:
    """``record`` with every step of its chain listed, in phase order (itself when it lists them all)."""
    if not record.earlier:
        return record
    total = len(record.steps) + sum(len(chunk.nodes) for chunk in record.earlier)
    slots: list[StepRecord | None] = [None] * total
    for chunk in record.earlier:
        for position, step in zip(chunk.positions, await chunk_steps(converter, chunk), strict=True):
            slots[position] = step
    rest = iter(record.steps)
    steps = [slot if slot is not None else next(rest) for slot in slots]
    return record.model_copy(update={"steps": steps, "earlier": []})


async def chunk_steps(converter: DataConverter, chunk: StepChunk) -> list[StepRecord]:
    if chunk.stored is None:
        return chunk.steps
    key = chunk.stored.claim.get("sha256") or repr(sorted(chunk.stored.claim.items()))
    if key not in _cache:
        try:
            data = await load_value(converter, chunk.stored)
        except Exception as exc:
            raise ChunkUnreadable(
                f"the steps run {chunk.run_index + 1} of the chain finished cannot be read from storage: {exc}"
            ) from None
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = [StepRecord.model_validate(step) for step in data]
    return _cache[key]
