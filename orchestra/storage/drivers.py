"""The storage driver and the SDK's ExternalStorage the settings choose (what they mean: orchestra/storage/__init__.py)."""

from __future__ import annotations

import dataclasses
from typing import Self

from temporalio.converter import (
    DataConverter,
    ExternalStorage,
    SerializationContext,
    StorageDriver,
    WithSerializationContext,
)

from orchestra.settings import Settings
from orchestra.storage.folder import FolderStorageDriver


@dataclasses.dataclass(frozen=True)
class OwnedStorage(ExternalStorage, WithSerializationContext):
    """ExternalStorage whose folder driver is bound to the workflow the converter works for: the SDK binds
    converters (``DataConverter.with_context``), never drivers, and gives ``retrieve`` no context, so this
    is the one place a driver can learn whose payload it reads (``folder.FolderStorageDriver.bound``).
    ``schedules``: the converter stores a schedule's input, which every run of the schedule reads."""

    schedules: bool = False

    def with_context(self, context: SerializationContext) -> Self:
        drivers = [
            d.bound(context, schedules=self.schedules) if isinstance(d, FolderStorageDriver) else d
            for d in self.drivers
        ]
        return dataclasses.replace(self, drivers=drivers)


def storage_driver(settings: Settings) -> StorageDriver | None:
    if settings.storage == "off":
        return None
    if settings.storage == "s3":
        from orchestra.storage.s3 import s3_driver

        return s3_driver(
            settings.s3_bucket or "", settings.s3_endpoint_url, settings.s3_region, settings.storage_max_payload_bytes
        )
    return FolderStorageDriver(settings.storage_folder(), settings.storage_max_payload_bytes)


def external_storage(settings: Settings) -> ExternalStorage | None:
    driver = storage_driver(settings)
    if driver is None:
        return None
    return OwnedStorage(drivers=[driver], payload_size_threshold=settings.storage_threshold_bytes)


def for_schedules(converter: DataConverter) -> DataConverter:
    """``converter`` for creating a schedule: its input is stored where the runs it starts may read it."""
    storage = converter.external_storage
    if not isinstance(storage, OwnedStorage):
        return converter
    return dataclasses.replace(converter, external_storage=dataclasses.replace(storage, schedules=True))
