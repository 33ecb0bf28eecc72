"""The codec's nonce is a keyed digest of the key id and the payload: the same payload under one key encrypts to the
same bytes (a replay then finds what it stored: tests/storage/test_replay_stores_nothing.py), any other payload or
key id to other bytes, and payloads sealed with a random nonce (older histories) still decrypt."""

from __future__ import annotations

import os

from temporalio.api.common.v1 import Payload

from orchestra.codec import NONCE_BYTES, EncryptionCodec

KEY = b"n" * 32


def _payload(data: bytes) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


def test_the_same_payload_encrypts_to_the_same_bytes_and_others_do_not() -> None:
    codec = EncryptionCodec(KEY, "k1")
    value = _payload(b'"' + b"x" * 40_000 + b'"')
    first, again = codec.encrypt(value), codec.encrypt(value)
    assert first.SerializeToString() == again.SerializeToString()
    assert codec.decrypt(first) == value
    other = codec.encrypt(_payload(b'"' + b"x" * 39_999 + b'y"'))
    assert other.data[:NONCE_BYTES] != first.data[:NONCE_BYTES]
    # One key under two ids (the id is authenticated data): one nonce over two inputs would give GCM's key away.
    renamed = EncryptionCodec(KEY, "k2").encrypt(value)
    assert renamed.data[:NONCE_BYTES] != first.data[:NONCE_BYTES]
    # The nonce is not the payload's plain digest: it is keyed, so a guess of the value cannot be checked against it.
    assert EncryptionCodec(b"m" * 32, "k1").encrypt(value).data[:NONCE_BYTES] != first.data[:NONCE_BYTES]


def test_a_payload_sealed_with_a_random_nonce_still_decrypts() -> None:
    codec = EncryptionCodec(KEY, "k1")
    value = _payload(b'{"plan": 1}')
    nonce = os.urandom(NONCE_BYTES)
    sealed = codec._active.encrypt(nonce, value.SerializeToString(), b"k1")
    old = Payload(metadata=dict(codec.encrypt(value).metadata), data=nonce + sealed)
    assert codec.decrypt(old) == value
