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

A value that cannot be read (JSON nested deeper than pydantic's parser goes, an integer of more digits
than Python converts, a field of the wrong type) raises a non-retryable ApplicationError: in workflow
code that fails the run, where any other exception would fail its workflow task, which Temporal then
retries for ever. Clients that validate first (the CLI) never send one; others may.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
from collections.abc import Sequence
from typing import Any, Self

from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
    PayloadCodec,
    SerializationContext,
    StorageDriverStoreContext,
    WithSerializationContext,
)
from temporalio.exceptions import ApplicationError

from orchestra.codec import EncryptionCodec, UnknownKeyError
from orchestra.payload_bytes import payload_data
from orchestra.refusal import error_of, is_refusal, refusal
from orchestra.settings import Settings
from orchestra.storage.drivers import external_storage
from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.temporal_bounds import reading_written_values

UNREADABLE_TYPE = "PayloadValidationError"  # the SDK's own name for a payload that failed validation
UNREADABLE_MESSAGE_CHARS = 1000
# Contexts a converter keeps its bound copy of: the steps of the runs a worker has in flight at once, and more.
BOUND_COPIES = 1024


def unreadable(exc: Exception) -> ApplicationError:
    """The non-retryable error for a value received that ``exc`` says cannot be read: workflow code that
    reads a value itself (an argument the SDK handed over as plain JSON) raises it too."""
    reason = f"{type(exc).__name__}: {exc}"[:UNREADABLE_MESSAGE_CHARS]
    return ApplicationError(f"a value received cannot be read: {reason}", type=UNREADABLE_TYPE, non_retryable=True)


class CompactJSONPayloadConverter(PydanticJSONPlainPayloadConverter):
    """pydantic JSON; the models that ask for it without their default fields (orchestra.payload_bytes)."""

    def to_payload(self, value: Any) -> Payload | None:
        # The bytes are payload_data's: the size checks (orchestra.limits) measure with it, without this class.
        return Payload(metadata={"encoding": self.encoding.encode()}, data=payload_data(value))


class PayloadConverter(CompositePayloadConverter):
    """The SDK's payload converters, JSON through CompactJSONPayloadConverter; a value none of them can
    read is a non-retryable ApplicationError (``unreadable``), and a payload the storage or the codec
    refused is the error it was refused with (orchestra.refusal)."""

    def __init__(self) -> None:
        compact = CompactJSONPayloadConverter()
        super().__init__(
            *(
                compact if isinstance(c, JSONPlainPayloadConverter) else c
                for c in DefaultPayloadConverter.default_encoding_payload_converters
            )
        )

    def from_payloads(self, payloads: Sequence[Payload], type_hints: list[type] | None = None) -> list[Any]:
        for payload in payloads:
            if is_refusal(payload):
                raise error_of(payload)
        try:
            with reading_written_values():
                return super().from_payloads(payloads, type_hints)
        except ApplicationError:
            raise
        except Exception as exc:  # whatever the parser or the model raised: the value is unreadable
            raise unreadable(exc) from None


class RefusingCodec(PayloadCodec, WithSerializationContext):
    """``codec``, where a payload it cannot decode (forged ciphertext, an unknown key, plaintext where
    encryption is required) becomes a refusal (orchestra.refusal) rather than an error: in a worker, the
    error would fail the workflow task for ever, whichever signal or query carried the payload."""

    def __init__(self, codec: PayloadCodec) -> None:
        self.codec = codec

    def with_context(self, context: SerializationContext) -> RefusingCodec:
        """The codec bound to ``context`` as the SDK binds the converter (the encryption's nonces are per workflow)."""
        if isinstance(self.codec, WithSerializationContext):
            return RefusingCodec(self.codec.with_context(context))
        return self

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return await self.codec.encode(payloads)

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        try:
            return await self.codec.decode(payloads)
        except Exception:
            return [await self._decode_one(p) for p in payloads]  # which ones cannot be read

    async def _decode_one(self, payload: Payload) -> Payload:
        try:
            [decoded] = await self.codec.decode([payload])
        except Exception as exc:
            # Decoding is pure work on the payload's bytes with this process's keys, no I/O: the same payload
            # fails the same way on every retry (forged or damaged ciphertext, plaintext where encryption is
            # required), so its refusal is final. Not so where the cause is this worker rather than the
            # payload: a key not deployed here yet (a rotation under way), or memory it lacked for a large
            # stored value. Those are retried where the run's own value is read, refused in a signal.
            return refusal(unreadable(exc), transient=isinstance(exc, UnknownKeyError | MemoryError))
        return decoded


@dataclasses.dataclass(frozen=True)
class RefusingDataConverter(DataConverter):
    """The SDK's DataConverter, where a payload the SDK itself cannot resolve as a stored reference becomes a
    refusal (orchestra.refusal) rather than its RuntimeError: one marked as a codec-encoded reference that
    is none, or a reference while storage is off. Neither the storage nor the codec sees these, and in a
    worker the error failed the workflow task for ever, whichever signal or query carried the payload."""

    # The SDK binds the converter to each payload's context (the workflow's, a step's) by copying it with
    # dataclasses.replace, whose __post_init__ builds a new payload converter and failure converter it then
    # replaces: about 0.3 ms a payload, paid in the worker's event loop for every payload of every workflow
    # task (and its replays), where it holds the GIL every workflow thread needs. Neither converter depends
    # on the context here (the codec and the storage do): the copy keeps them.
    # And it asks again for every payload, some six a step, of two or three contexts (the workflow's, the step's
    # activity's): a copy is kept per context (BOUND_COPIES of them), binding being a pure function of it.
    def with_context(self, context: SerializationContext) -> Self:
        copies: dict[SerializationContext, Self] | None = self.__dict__.get("_bound_copies")
        if copies is None:
            copies = {}
            object.__setattr__(self, "_bound_copies", copies)
        try:
            return copies[context]
        except KeyError:
            pass
        except TypeError:  # a context that cannot be a key (none of the SDK's): bound every time
            return self._bound_to(context)
        bound = copies[context] = self._bound_to(context)
        if len(copies) > BOUND_COPIES:
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread evicted it first
                del copies[next(iter(copies))]
        return bound

    def _bound_to(self, context: SerializationContext) -> Self:
        bound = {
            name: part.with_context(context)
            for name in ("payload_converter", "payload_codec", "failure_converter", "external_storage")
            if isinstance(part := getattr(self, name), WithSerializationContext)
        }
        return self._copy_with(bound)

    def _with_store_context(self, store_ctx: StorageDriverStoreContext) -> DataConverter:
        if self.external_storage is None:
            return self
        return self._copy_with({"external_storage": self.external_storage._with_store_context(store_ctx)})

    def _copy_with(self, parts: dict[str, Any]) -> Self:
        """This converter with ``parts`` in place of its own, built without __post_init__ (see with_context)."""
        if all(new is getattr(self, name) for name, new in parts.items()):
            return self
        bound = copy.copy(self)
        for name, new in parts.items():
            object.__setattr__(bound, name, new)
        bound.__dict__.pop("_bound_copies", None)  # this converter's copies, not the new one's
        return bound

    async def _decode_reference_payload_sequence(self, payloads: Sequence[Payload]) -> list[Payload]:
        try:
            return await super()._decode_reference_payload_sequence(payloads)
        except RuntimeError:  # the SDK's own (the codec refuses rather than raises): which ones, one by one
            decoded = []
            for payload in payloads:
                try:
                    decoded += await super()._decode_reference_payload_sequence([payload])
                except RuntimeError as exc:
                    decoded.append(refusal(StoredPayloadInvalid(f"a stored reference that cannot be read ({exc})")))
            return decoded

    async def _external_retrieve_payload_sequence(self, payloads: Sequence[Payload]) -> list[Payload]:
        if self.external_storage is not None:  # it refuses what it may not read, and raises what may pass
            return await super()._external_retrieve_payload_sequence(payloads)
        retrieved = []
        for payload in payloads:
            try:
                retrieved += await super()._external_retrieve_payload_sequence([payload])
            except RuntimeError as exc:  # a reference, and no storage to read it from
                retrieved.append(refusal(StoredPayloadInvalid(f"a stored reference that cannot be read ({exc})")))
        return retrieved


def data_converter(settings: Settings) -> DataConverter:
    """The converter for these settings, with the payload codec the environment configures."""
    return compose(EncryptionCodec.from_env(), settings)


def compose(codec: PayloadCodec | None, settings: Settings | None) -> DataConverter:
    """pydantic JSON + ``codec`` (None: none) + the external storage of ``settings`` (None: none)."""
    converter: DataConverter = RefusingDataConverter(payload_converter_class=PayloadConverter)
    if codec is not None:
        converter = dataclasses.replace(
            converter,
            payload_codec=RefusingCodec(codec),
            # Moves failure messages and stack traces into a payload, so the codec encrypts them too.
            failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
        )
    storage = external_storage(settings) if settings is not None else None
    if storage is not None:
        converter = dataclasses.replace(converter, external_storage=storage)
    return converter
