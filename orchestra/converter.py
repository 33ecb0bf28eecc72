"""The one data converter: every client, worker and the codec server build theirs here.

Values become JSON through pydantic; a payload codec then encrypts them when ORCHESTRA_CODEC_KEY is set
(orchestra.codec); payloads of ORCHESTRA_STORAGE_THRESHOLD_BYTES or more then go to external storage
and the history keeps a reference (orchestra.storage). The order is the SDK's: what is stored outside
is already encrypted. A worker built on a client inherits the client's converter, so connecting through
``orchestra.connect`` is enough for both.
"""

from __future__ import annotations

import dataclasses

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes, PayloadCodec

from orchestra.codec import EncryptionCodec
from orchestra.settings import Settings
from orchestra.storage.drivers import external_storage


def data_converter(settings: Settings) -> DataConverter:
    """The converter for these settings, with the payload codec the environment configures."""
    return compose(EncryptionCodec.from_env(), settings)


def compose(codec: PayloadCodec | None, settings: Settings | None) -> DataConverter:
    """pydantic JSON + ``codec`` (None: none) + the external storage of ``settings`` (None: none)."""
    converter = pydantic_data_converter
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
