"""The storage driver and the SDK's ExternalStorage the settings choose (what they mean: orchestra/storage/__init__.py)."""

from __future__ import annotations

from temporalio.converter import ExternalStorage, StorageDriver

from orchestra.settings import Settings
from orchestra.storage.folder import FolderStorageDriver


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
    return ExternalStorage(drivers=[driver], payload_size_threshold=settings.storage_threshold_bytes)
