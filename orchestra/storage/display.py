"""What the codec server answers for a value stored outside the history.

The history holds the SDK's reference (driver, claim, size) where a large value was. The Web UI and
``temporal workflow show --codec-endpoint`` send it to the codec server like any payload; the codec
server's codec (``DisplayCodec``) fetches the stored value, decrypts it and answers it whole when it is
small enough to show, or a preview of its first PREVIEW_BYTES with its size and where it is stored.
Values over FETCH_LIMIT are not fetched at all, so a page of the UI cannot make the server read many
megabytes. Without a codec server, the UI shows the reference itself (JSON with the driver, the path or
key, and the size); ``client.py`` reads every value whole through the same converter as the worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.api.sdk.v1.external_storage_pb2 import ExternalStorageReference
from temporalio.converter import (
    ExternalStorage,
    JSONPlainPayloadConverter,
    JSONProtoPayloadConverter,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
)

from orchestra.codec import EncryptionCodec
from orchestra.settings import Settings
from orchestra.storage.drivers import external_storage

PREVIEW_BYTES = 16 * 1024
FETCH_LIMIT = 8 * 1024 * 1024
_MESSAGE_TYPE = ExternalStorageReference.DESCRIPTOR.full_name.encode()
_reference_converter = JSONProtoPayloadConverter()
_json = JSONPlainPayloadConverter()


def storage_reference(payload: Payload) -> ExternalStorageReference | None:
    """The SDK's reference when ``payload`` stands for a value stored outside the history."""
    if payload.metadata.get("encoding") != b"json/protobuf" or payload.metadata.get("messageType") != _MESSAGE_TYPE:
        return None
    reference = _reference_converter.from_payload(payload, ExternalStorageReference)
    return reference if isinstance(reference, ExternalStorageReference) else None


def stored_size(payload: Payload) -> int:
    return sum(e.size_bytes for e in payload.external_payloads)


class DisplayCodec(EncryptionCodec):
    """The encryption codec, plus: references to stored values are answered with the value (or a preview)."""

    storage: ExternalStorage | None = None

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [await self._shown(p) for p in payloads]

    async def _shown(self, payload: Payload) -> Payload:
        reference = storage_reference(payload)
        if reference is None:
            return self.decrypt(payload)
        where = {"driver": reference.driver_name, **dict(reference.claim_data)}
        size = stored_size(payload)
        if self.storage is None or size > FETCH_LIMIT:
            why = "no storage configured here" if self.storage is None else f"over {FETCH_LIMIT:,} bytes"
            return _note({"stored_externally": where, "bytes": size, "not_shown": why})
        driver = next((d for d in self.storage.drivers if d.name() == reference.driver_name), None)
        if driver is None:
            return _note({"stored_externally": where, "bytes": size, "not_shown": "unknown storage driver"})
        [stored] = await driver.retrieve(
            StorageDriverRetrieveContext(), [StorageDriverClaim(dict(reference.claim_data))]
        )
        value = self.decrypt(stored)
        if len(value.data) <= PREVIEW_BYTES:
            return value
        preview = value.data[:PREVIEW_BYTES].decode(errors="ignore")
        return _note({"stored_externally": where, "bytes": len(value.data), "preview": preview + " ...[truncated]"})


def _note(value: dict[str, Any]) -> Payload:
    payload = _json.to_payload(value)
    assert payload is not None, "a dict of strings and numbers is JSON"
    return payload


def display_codec(settings: Settings | None = None) -> DisplayCodec | None:
    """The codec server's codec: keys from the environment (None without ORCHESTRA_CODEC_KEY), storage
    from ``settings`` (default: the environment's)."""
    codec = DisplayCodec.from_env()
    if codec is not None:
        codec.storage = external_storage(settings or Settings.from_env())
    return codec
