"""The validators of MCP tools' output schemas, kept so each schema is checked and built once: kept within
a bound a server cannot grow (it chooses its schemas, and may change them at every listing), and never
one of a schema the tool no longer has."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from orchestra.mcp import schemas

MIB = 1024 * 1024


def _schema(serial: int, padding: int) -> dict[str, Any]:
    return {"type": "object", "title": f"v{serial}", "description": "x" * padding,
            "properties": {"n": {"type": "integer", "maximum": serial}}}  # fmt: skip


@contextmanager
def _kept() -> Iterator[Callable[[], int]]:
    """The bytes allocated inside the block and still held after it."""
    gc.collect()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    try:
        yield lambda: tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()


def test_a_server_changing_its_output_schemas_keeps_no_more_than_the_bound():
    """Bounded by count alone, 256 versions of a 64 KiB schema (a server that changes it at every
    listing) kept 256 times the schema, text and all: 107 MB for 900 properties."""
    padding = schemas.MAX_TOOL_BYTES - 500
    with _kept() as kept:
        for serial in range(256):
            assert not isinstance(schemas.output_checker(_schema(serial, padding)), str)
        gc.collect()
        assert kept() < 4 * MIB, f"{kept() / MIB:.1f} MiB kept"


def test_an_output_schema_over_the_listing_bound_is_refused_and_not_kept():
    """The SDK keeps the schemas of tools the listing refused: one of megabytes was kept whole, for each
    version a server sent (up to 64 MiB a message, 256 versions)."""
    with _kept() as kept:
        for serial in range(8):
            refused = schemas.output_checker(_schema(serial, 4 * schemas.MAX_TOOL_BYTES))
            assert isinstance(refused, str) and "at most 65,536" in refused
        gc.collect()
        assert kept() < MIB // 4, f"{kept() / MIB:.1f} MiB kept"


def test_a_changed_output_schema_gets_its_own_validator_and_the_same_one_its_kept_one():
    first = schemas.output_checker(_schema(5, 10))
    changed = schemas.output_checker(_schema(7, 10))
    assert not isinstance(first, str) and not isinstance(changed, str)
    assert not first.is_valid({"n": 6}) and changed.is_valid({"n": 6})
    assert schemas.output_checker(_schema(5, 10)) is first
