"""One value stored on its own, through the converter's codec and storage driver, and read back.

The SDK stores any large payload transparently, but a payload is a whole activity result: a step's
output together with its timings, different for every step. ``store_value`` stores the value alone, so
identical outputs of a fan-out become one object in the content-addressed store, and the run's record
can point at a step's full output (``StoredValue``, the driver's claim) while it keeps a preview.
Activities store and load; workflow code only passes the ``StoredValue`` along (or asks an activity).
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    DataConverter,
    SerializationContext,
    StorageDriver,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverSelectContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
    WithSerializationContext,
)

from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.storage.stored import StoredValue


class StorageNotConfigured(RuntimeError):
    pass


def payload_of(converter: DataConverter, value: Any) -> Payload:
    """``value`` as one payload before the codec (its ByteSize is what the storage threshold is compared
    with). A walk of the whole value into JSON, for a thread: a 2.4 MB output took 0.46 s on an idle machine."""
    [payload] = converter.payload_converter.to_payloads([value])
    return payload


def threshold(converter: DataConverter) -> int | None:
    """From what size values go to storage; None when nothing is stored outside the history."""
    storage = converter.external_storage
    return storage.payload_size_threshold if storage is not None else None


async def store_value(converter: DataConverter, value: Any, workflow: StorageDriverWorkflowInfo) -> StoredValue:
    """Store ``value`` (encrypted when the converter encrypts) in ``workflow``'s scope."""
    return await store_payload(converter, await asyncio.to_thread(payload_of, converter, value), workflow)


async def store_payload(converter: DataConverter, payload: Payload, workflow: StorageDriverWorkflowInfo) -> StoredValue:
    """``store_value`` of a value already made a payload (``payload_of``)."""
    storage = converter.external_storage
    if storage is None:
        raise StorageNotConfigured("no external storage is configured (ORCHESTRA_STORAGE=off)")
    if converter.payload_codec is not None:
        [payload] = await converter.payload_codec.encode([payload])
    context = StorageDriverStoreContext(target=workflow)
    driver: StorageDriver | None = storage.drivers[0]
    if storage.driver_selector is not None:
        driver = storage.driver_selector(StorageDriverSelectContext(target=workflow), payload)
    if driver is None:
        raise StorageNotConfigured("the storage driver selector chose no driver for this value")
    [claim] = await driver.store(context, [payload])
    return StoredValue(driver=driver.name(), claim=dict(claim.claim_data), bytes=payload.ByteSize())


async def load_value(converter: DataConverter, stored: StoredValue, reader: SerializationContext | None = None) -> Any:
    """The value ``store_value`` stored, decrypted and decoded (JSON types: dicts, lists, strings...);
    ``reader``: the workflow reading it, which may read only its own values (``folder.py``)."""
    storage = converter.external_storage
    if storage is None:
        raise StorageNotConfigured(f"a value is stored with {stored.driver!r} but no storage is configured here")
    if reader is not None and isinstance(storage, WithSerializationContext):
        storage = storage.with_context(reader)
    driver = next((d for d in storage.drivers if d.name() == stored.driver), None)
    if driver is None:
        raise StorageNotConfigured(f"a value is stored with {stored.driver!r}, which is not configured here")
    [payload] = await driver.retrieve(StorageDriverRetrieveContext(), [StorageDriverClaim(dict(stored.claim))])
    if payload.ByteSize() > stored.bytes:
        # Its reader bounds a value by the size its reference says (a plan's piece: workflows/plan_pieces.py), which
        # whoever wrote the reference says: one that says less than it holds is refused before it is decoded.
        raise StoredPayloadInvalid(
            f"a stored value of {payload.ByteSize():,} bytes, its reference says {stored.bytes:,}"
        )
    if converter.payload_codec is not None:
        [payload] = await converter.payload_codec.decode([payload])
    # In a thread, as payload_of: the JSON of a large value read back is as long a walk as writing it.
    [value] = await asyncio.to_thread(converter.payload_converter.from_payloads, [payload])
    return value
