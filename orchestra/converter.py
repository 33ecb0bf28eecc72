"""The one data converter: every client, worker and the codec server build theirs here.

Values become JSON through pydantic; a payload codec then encrypts them when ORCHESTRA_CODEC_KEY is set
(orchestra.codec); payloads of ORCHESTRA_STORAGE_THRESHOLD_BYTES or more then go to external storage
and the history keeps a reference (orchestra.storage). The order is the SDK's: what is stored outside
is already encrypted. A worker built on a client inherits the client's converter, so connecting through
``orchestra.connect`` is enough for both.

A model whose class sets ``payload_without_defaults`` (a plan run's request, its plan, its schedule and
its carry) is sent without the fields that hold their defaults: a plan of 100,000 nodes is 7 MB instead of
24 MB, and a continued run decodes it in half the time. Decoding fills the defaults in again, so this is
sound as long as a default means what it meant when the payload was written: changing a default of such a
model changes what payloads already written (histories, stored values) say.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter, pydantic_data_converter
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
    PayloadCodec,
)

from orchestra.codec import EncryptionCodec
from orchestra.settings import Settings
from orchestra.storage import external_storage


class CompactJSONPayloadConverter(PydanticJSONPlainPayloadConverter):
    """pydantic JSON; the models that ask for it without their default fields."""

    def to_payload(self, value: Any) -> Payload | None:
        if not getattr(type(value), "payload_without_defaults", False):
            return super().to_payload(value)
        return Payload(
            metadata={"encoding": self.encoding.encode()}, data=value.model_dump_json(exclude_defaults=True).encode()
        )


class PayloadConverter(CompositePayloadConverter):
    """The SDK's payload converters, JSON through CompactJSONPayloadConverter."""

    def __init__(self) -> None:
        compact = CompactJSONPayloadConverter()
        super().__init__(
            *(
                compact if isinstance(c, JSONPlainPayloadConverter) else c
                for c in DefaultPayloadConverter.default_encoding_payload_converters
            )
        )


def data_converter(settings: Settings) -> DataConverter:
    """The converter for these settings, with the payload codec the environment configures."""
    return compose(EncryptionCodec.from_env(), settings)


def compose(codec: PayloadCodec | None, settings: Settings | None) -> DataConverter:
    """pydantic JSON + ``codec`` (None: none) + the external storage of ``settings`` (None: none)."""
    converter = dataclasses.replace(pydantic_data_converter, payload_converter_class=PayloadConverter)
    if codec is not None:
        converter = dataclasses.replace(
            converter,
            payload_codec=codec,
            # Moves failure messages and stack traces into a payload, so the codec encrypts them too.
            failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
        )
    storage = external_storage(settings) if settings is not None else None
    if storage is not None:
        converter = dataclasses.replace(converter, external_storage=storage)
    return converter
