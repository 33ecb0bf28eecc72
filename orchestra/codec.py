"""Optional payload encryption: AES-256-GCM on every payload (inputs, outputs, query results, failure
messages and stack traces), with the key id in the payload's metadata so keys can be rotated.

ORCHESTRA_CODEC_KEY         base64 of 32 random bytes (``python -m orchestra.codec_server --new-key``)
ORCHESTRA_CODEC_KEY_ID      name of that key, written into each payload (default: derived from the key; at most 256 bytes)
ORCHESTRA_CODEC_OLD_KEYS    ``id=base64,id=base64``: retired keys, still used to decrypt older payloads
ORCHESTRA_CODEC_REQUIRE_ENCRYPTED  ``1``: refuse to decode payloads that are not encrypted (default off)

The same key must be set on the worker and on every client (CLI, codec server); Temporal's server and
its database then only ever see ciphertext. Payloads written before encryption was turned on (no
``binary/encrypted`` encoding) are passed through as they are, unless ORCHESTRA_CODEC_REQUIRE_ENCRYPTED
is set: then anyone who can write to the server (or its database) cannot slip in plaintext inputs
that the worker would take as if they had come from a key holder.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import os
from collections.abc import Mapping, Sequence
from typing import Self

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec, SerializationContext, WithSerializationContext

from orchestra import environment
from orchestra.refusal import is_refusal

ENCODING = b"binary/encrypted"
CIPHER = b"AES-256-GCM"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
# The key id is written into every payload: a value stored is measured before the codec sees it, with room for
# what the codec adds (orchestra/payload_bytes.py's ENVELOPE_BYTES, 1,024 bytes). An id of 900 bytes took that
# room, and a piece measured to fit was refused by the store, its run retried for ever.
MAX_KEY_ID_BYTES = 256


REQUIRE_ENV = "ORCHESTRA_CODEC_REQUIRE_ENCRYPTED"


class CodecKeyError(ValueError):
    pass


def _required(env: Mapping[str, str]) -> bool:
    """Whether REQUIRE_ENV asks for encryption. A word it does not know is refused, not read as no: the
    operator who wrote ``required`` or ``enabled`` would have had unencrypted payloads accepted, silently."""
    try:
        return environment.flag(REQUIRE_ENV, False, env)
    except environment.SettingError as exc:
        raise CodecKeyError(str(exc)) from None


class UnknownKeyError(CodecKeyError):
    """A payload encrypted with a key this process does not have (yet: a rotation under way)."""


class UnencryptedPayloadError(CodecKeyError):
    """A payload without encryption, while ORCHESTRA_CODEC_REQUIRE_ENCRYPTED is set."""


def parse_key(text: str, name: str = "ORCHESTRA_CODEC_KEY") -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise CodecKeyError(f"{name} is not valid base64") from None
    if len(key) != 32:
        raise CodecKeyError(f"{name} must decode to 32 bytes (AES-256), got {len(key)}")
    return key


def default_key_id(key: bytes) -> str:
    # A fingerprint, not the key: safe to store in every payload.
    return "k-" + hashlib.sha256(b"orchestra-codec-key-id" + key).hexdigest()[:12]


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


class EncryptionCodec(PayloadCodec, WithSerializationContext):
    # The workflow whose payloads this copy encrypts (``with_context``), empty when unknown.
    _scope = b""

    def __init__(
        self,
        key: bytes,
        key_id: str | None = None,
        old_keys: Mapping[str, bytes] | None = None,
        *,
        require_encrypted: bool = False,
    ) -> None:
        self.key_id = key_id or default_key_id(key)
        if len(self.key_id.encode()) > MAX_KEY_ID_BYTES:
            raise CodecKeyError(
                f"ORCHESTRA_CODEC_KEY_ID is {len(self.key_id.encode()):,} bytes; it is written into every payload and"
                f" may be at most {MAX_KEY_ID_BYTES} bytes (UTF-8): name the key shortly, or leave it unset"
            )
        self.require_encrypted = require_encrypted
        self._active = AESGCM(key)
        # A key of its own for the nonces (never the cipher's key used twice), derived so no setting is added.
        self._nonce_key = hmac.new(key, b"orchestra-codec-nonce-v1", hashlib.sha256).digest()
        # Nonces of one workflow's payloads: a key of their own, so no input of one kind reads as one of the other.
        self._scoped_nonce_key = hmac.new(key, b"orchestra-codec-nonce-v2-workflow", hashlib.sha256).digest()
        self._keys = {kid: AESGCM(k) for kid, k in (old_keys or {}).items()}
        self._keys[self.key_id] = self._active

    def with_context(self, context: SerializationContext) -> Self:
        """This codec for the payloads of the workflow ``context`` names (the SDK binds the converter to it): their
        nonces depend on it, so the same payload in two workflows encrypts differently. Deterministic across
        workflows, whoever could have a value encrypted in a run of theirs (a page a tool fetched, an input) and
        read the histories learnt whether another workflow's payload was that value: a guess confirmed, a PIN
        or a yes/no read off another run. A replay is the same workflow, and stores are per workflow."""
        workflow_id = getattr(context, "workflow_id", None)
        if not workflow_id:
            return self
        scoped = copy.copy(self)
        scoped._scope = b"".join(
            len(part).to_bytes(4, "big") + part
            for part in (str(getattr(context, "namespace", "") or "").encode(), str(workflow_id).encode())
        )
        return scoped

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self | None:
        env = os.environ if env is None else env
        text = env.get("ORCHESTRA_CODEC_KEY", "").strip()
        require = _required(env)
        if not text:
            if require:
                raise CodecKeyError(
                    f"{REQUIRE_ENV} is set but ORCHESTRA_CODEC_KEY is not: every payload would be written unencrypted"
                )
            return None
        old: dict[str, bytes] = {}
        for item in filter(None, (i.strip() for i in env.get("ORCHESTRA_CODEC_OLD_KEYS", "").split(","))):
            kid, sep, value = item.partition("=")
            if not sep:
                raise CodecKeyError("ORCHESTRA_CODEC_OLD_KEYS expects id=base64 pairs separated by commas")
            old[kid.strip()] = parse_key(value, f"ORCHESTRA_CODEC_OLD_KEYS[{kid.strip()}]")
        return cls(parse_key(text), env.get("ORCHESTRA_CODEC_KEY_ID") or None, old, require_encrypted=require)

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        plain = payload.SerializeToString()
        nonce = self.nonce_for(plain)
        # The key id is authenticated too: a payload cannot be relabelled to another key.
        sealed = self._active.encrypt(nonce, plain, self.key_id.encode())
        return Payload(
            metadata={"encoding": ENCODING, "encryption-cipher": CIPHER, KEY_ID: self.key_id.encode()},
            data=nonce + sealed,
        )

    def nonce_for(self, plain: bytes) -> bytes:
        """The nonce of ``plain``: a keyed digest of it (synthetic IV, as AES-SIV), so the same payload encrypts to
        the same bytes. A replay re-encodes every command of the run it replays, and the content-addressed store
        then finds what it stored (no new file per replay, no limit checked again); with a random nonce each
        replay wrote new copies of every large value, and a worker restarted with a smaller store refused a
        value its run had already stored, for ever. What it gives away: that two payloads of one workflow under one
        key are equal (``with_context``; docs/operations.md). A nonce repeats only for the same payload of the same
        workflow under the same key id (the other input GCM authenticates: one nonce over two different inputs
        would give away GCM's authentication key), so it always seals the same bytes again. Nonces are still read from the payload: payloads of a random
        nonce (older histories) decrypt as before, and older workers decrypt these."""
        kid = self.key_id.encode()
        if self._scope:
            scoped = len(kid).to_bytes(2, "big") + kid + self._scope + plain
            return hmac.new(self._scoped_nonce_key, scoped, hashlib.sha256).digest()[:NONCE_BYTES]
        digest = hmac.new(self._nonce_key, len(kid).to_bytes(2, "big") + kid + plain, hashlib.sha256).digest()
        return digest[:NONCE_BYTES]

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            # A refusal is made here after the history was read (never encrypted): it is passed on to be
            # refused where it is read, as one from outside is (orchestra/refusal.py).
            if self.require_encrypted and not is_refusal(payload):
                encoding = payload.metadata.get("encoding", b"").decode(errors="replace") or "none"
                raise UnencryptedPayloadError(
                    f"refusing an unencrypted payload (encoding {encoding!r}): ORCHESTRA_CODEC_REQUIRE_ENCRYPTED is set"
                )
            return payload  # written before encryption was on
        key_id = payload.metadata.get(KEY_ID, b"").decode()
        cipher = self._keys.get(key_id)
        if cipher is None:
            raise UnknownKeyError(
                f"payload encrypted with unknown key id {key_id!r}: add it to ORCHESTRA_CODEC_OLD_KEYS"
            )
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        decoded = Payload()
        decoded.ParseFromString(cipher.decrypt(nonce, sealed, key_id.encode()))
        return decoded
