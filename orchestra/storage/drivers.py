"""The storage driver and the SDK's ExternalStorage the settings choose (what they mean: orchestra/storage/__init__.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Self

from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    DataConverter,
    ExternalStorage,
    SerializationContext,
    StorageDriver,
    WithSerializationContext,
)

from orchestra.refusal import refusal
from orchestra.settings import NOTHING_STORED_OUTSIDE, TEMPORAL_PAYLOAD_LIMIT, Settings
from orchestra.storage.errors import StoredPayloadError, StoredPayloadInvalid
from orchestra.storage.folder import FolderStorageDriver

# What a driver raises for a claim it cannot read, besides its own StoredPayloadErrors: a claim it does not
# understand (ValueError), a stored blob that does not parse. Anything else (S3 unreachable, a disk error)
# passes: it fails the workflow task, which Temporal retries.
_FORGED = (ValueError, DecodeError)


@dataclasses.dataclass(frozen=True)
class OwnedStorage(ExternalStorage, WithSerializationContext):
    """ExternalStorage whose folder driver is bound to the workflow the converter works for: the SDK binds
    converters (``DataConverter.with_context``), never drivers, and gives ``retrieve`` no context, so this
    is the one place a driver can learn whose payload it reads (``folder.FolderStorageDriver.bound``).
    ``schedules``: the converter stores a schedule's input, which every run of the schedule reads.

    A reference that may not be read (another workflow's value, gone, forged, malformed) is not an error
    here but a refusal payload in its place (``refusal``): where it arrived decides what it does."""

    schedules: bool = False

    def with_context(self, context: SerializationContext) -> Self:
        drivers = [
            d.bound(context, schedules=self.schedules) if isinstance(d, FolderStorageDriver) else d
            for d in self.drivers
        ]
        return dataclasses.replace(self, drivers=drivers)

    async def _retrieve_payload(self, payload: Payload) -> Payload:
        try:  # the SDK raises RuntimeError for a reference that does not parse, as for S3 unreachable
            reference = self._decode_reference(payload)
            if reference is not None:
                self._get_driver_by_name(reference.driver_name)
        except Exception as exc:
            return refusal(
                StoredPayloadInvalid(f"a stored reference that cannot be read ({type(exc).__name__}: {exc})")
            )
        try:
            return await super()._retrieve_payload(payload)
        except StoredPayloadError as exc:
            return refusal(exc)
        except _FORGED as exc:
            return refusal(
                StoredPayloadInvalid(f"a stored reference that cannot be read ({type(exc).__name__}: {exc})")
            )

    async def _retrieve_payload_sequence(self, payloads: Sequence[Payload]) -> list[Payload]:
        try:
            return await super()._retrieve_payload_sequence(payloads)
        except Exception:
            # One by one: which references are refused, and whatever else is raised again (S3 unreachable).
            return [await self._retrieve_payload(p) for p in payloads]


def storage_driver(settings: Settings) -> StorageDriver | None:
    if settings.storage == "off":
        return None
    if settings.storage == "s3":
        from orchestra.storage.s3 import s3_driver

        return s3_driver(
            settings.s3_bucket or "", settings.s3_endpoint_url, settings.s3_region, settings.storage_max_payload_bytes
        )
    return FolderStorageDriver(_apart_from_the_workspace(settings), settings.storage_max_payload_bytes)


def _apart_from_the_workspace(settings: Settings) -> Path:
    """The folder store's root, refused where it and the workspace overlap: the file tools of any plan (and the
    programs it may run) reach every path in the workspace, and there read every run's stored values, whoever's
    workflow they are bound to, changed them and deleted them."""
    folder, workspace = settings.storage_folder(), settings.workspace
    real_folder, real_workspace = folder.resolve(), workspace.resolve()
    if real_folder.is_relative_to(real_workspace) or real_workspace.is_relative_to(real_folder):
        raise ValueError(
            f"the storage folder {folder} (ORCHESTRA_STORAGE_DIR, default ORCHESTRA_DATA_DIR/payloads) and the"
            f" workspace {workspace} (ORCHESTRA_WORKSPACE) overlap: the file tools of any plan would read, change and"
            " delete every run's stored values; keep them apart (the default: data/payloads and data/workspace)"
        )
    return folder


def external_storage(settings: Settings) -> ExternalStorage | None:
    driver = storage_driver(settings)
    if driver is None:
        return None
    return OwnedStorage(drivers=[driver], payload_size_threshold=settings.storage_threshold_bytes)


def largest_value(settings: Settings, converter: DataConverter) -> tuple[int, str]:
    """The largest single value a worker's runs can carry, and that limit's name: the smallest that applies. The
    values are written by ``converter`` (its client's), whose store may take less than ``settings`` say (an
    application or a test builds the worker on a client of its own): a hand-over measured against the settings'
    50 MiB then went whole to a store of 300 KB, failed to encode, and its run was retried for ever."""
    storage = converter.external_storage
    if storage is None:
        return TEMPORAL_PAYLOAD_LIMIT, NOTHING_STORED_OUTSIDE
    own, name = settings.largest_value()
    stores = [limit for d in storage.drivers if isinstance(limit := getattr(d, "max_payload_bytes", None), int)]
    limits = [*stores, *([own] if name != NOTHING_STORED_OUTSIDE else [])]
    return (min(limits), "the storage limit ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES") if limits else (own, name)


def for_schedules(converter: DataConverter) -> DataConverter:
    """``converter`` for creating a schedule: its input is stored where the runs it starts may read it."""
    storage = converter.external_storage
    if not isinstance(storage, OwnedStorage):
        return converter
    return dataclasses.replace(converter, external_storage=dataclasses.replace(storage, schedules=True))
