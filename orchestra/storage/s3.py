"""Production storage: the SDK's S3 driver (``temporalio.contrib.aws.s3driver``) over a boto3 client.

Any S3-compatible service works (AWS S3, MinIO, Ceph, moto): ORCHESTRA_S3_BUCKET names the bucket (it
must exist), ORCHESTRA_S3_ENDPOINT_URL points at a service other than AWS, and credentials and region
come from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION, a profile, an
instance role). Needs the ``s3`` extra: ``pip install 'orchestra[s3]'``.

boto3 rather than the SDK's aioboto3 adapter: a boto3 client is thread-safe and tied to no event loop,
so one converter serves the worker, each CLI command's loop and the codec server's threads; its calls
run in a small thread pool of their own.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
import socket
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from temporalio.api.common.v1 import Payload
from temporalio.contrib.aws.s3driver import S3StorageDriver, S3StorageDriverClient
from temporalio.converter import StorageDriverClaim, StorageDriverRetrieveContext, StorageDriverStoreContext

from orchestra.storage.errors import (
    StoredPayloadError,
    StoredPayloadInvalid,
    StoredPayloadMissing,
    StoredPayloadTooLarge,
    check_payload_size,
)

# Payload uploads and downloads at once per process; S3 latency, not CPU, is what they wait on.
CONCURRENCY = 16
# The keys the SDK's driver writes: "v0", percent-encoded segments, the content's sha256 last; at most
# 1,024 bytes (S3's limit; longer ones fall back to the namespace and the digest).
WRITTEN_KEY = re.compile(r"v0(/[A-Za-z0-9%._~!$&'()*+,;=:@-]+)*/d/sha256/(?P<digest>[0-9a-f]{64})")
MAX_KEY_BYTES = 1024
_UNCHECKED = 2**62
_NOT_THERE = frozenset({"404", "NoSuchKey", "NotFound"})
_DENIED = frozenset({"403", "AccessDenied", "Forbidden"})
# Written and read back to learn whether a 403 means "not there" (``Boto3StorageClient._reads_the_bucket``): not a key
# of the driver's shape, so no claim can name it.
ACCESS_PROBE_KEY = "orchestra/access-probe"  # the SDK driver's own limit, left to LimitedUploads


# The longest one call to S3 may take, its body read whole: a value of the default 50 MiB limit at 1 MB/s.
OPERATION_DEADLINE_S = 120.0
T = TypeVar("T")


class S3DependencyMissing(RuntimeError):
    pass


class S3TooSlow(TimeoutError):
    """A call to S3 that did not end in time: the workflow task (or activity) is retried."""


def _deadline() -> float:
    return asyncio.get_running_loop().time() + OPERATION_DEADLINE_S


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _cut(body: Any) -> None:
    """The connection a response's body is read from, shut: the thread reading it waits no more (closing it would not
    wake a read under way). Best effort: a body no longer on a connection has been read whole."""
    connection = getattr(getattr(body, "_raw_stream", None), "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class Boto3StorageClient(S3StorageDriverClient):
    def __init__(self, endpoint_url: str | None = None, region: str | None = None) -> None:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise S3DependencyMissing(
                "ORCHESTRA_STORAGE=s3 needs boto3: install the s3 extra (pip install 'orchestra[s3]')"
            ) from None
        config = Config(max_pool_connections=CONCURRENCY, retries={"mode": "standard", "max_attempts": 5})
        self._client: Any = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None, config=config
        )
        self._pool = ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="orchestra-s3")

    async def _call(self, method: str, **kwargs: Any) -> Any:
        what = f"{method} of s3://{kwargs.get('Bucket', '')}/{kwargs.get('Key', '')}"
        return await self._in_time(partial(getattr(self._client, method), **kwargs), _deadline(), what)

    async def _in_time(
        self, work: Callable[[], T], deadline: float, what: str, cut: Callable[[], None] | None = None
    ) -> T:
        """``work`` in the pool, ended by ``deadline`` (the loop's time) with S3TooSlow, which is retried. boto3's
        timeouts bound each wait for a byte, not the whole: an endpoint that sends a byte now and then held the call,
        and its thread, for as long as it went on (each retry of the task another thread, until the pool was held
        and every store and read of the process waited). ``cut``: ends ``work`` at the deadline, freeing its thread."""
        future = asyncio.get_running_loop().run_in_executor(self._pool, work)
        future.add_done_callback(_retrieved)  # a read cut at the deadline ends in an error nobody awaits
        try:
            return await asyncio.wait_for(
                asyncio.shield(future), max(0.0, deadline - asyncio.get_running_loop().time())
            )
        except TimeoutError:
            if cut is not None:
                cut()
            raise S3TooSlow(f"S3 did not complete the {what} within {OPERATION_DEADLINE_S:g} s") from None

    async def put_object(self, *, bucket: str, key: str, data: bytes) -> None:
        # S3 keeps the content's SHA-256 with the object (and refuses an upload that does not match it): what
        # ``object_exists`` compares with the digest the key names.
        await self._call("put_object", Bucket=bucket, Key=key, Body=data, ChecksumAlgorithm="SHA256")

    async def object_exists(self, *, bucket: str, key: str) -> bool:
        """Whether the object at ``key`` is there and holds what the key names (by the SHA-256 S3 kept with it, or
        else read and hashed). An object there with other content (written by hand, by another tool) was taken for
        the value and never uploaded again: every read of its claim was refused, and the run failed."""
        from botocore.exceptions import ClientError

        try:
            head = await self._call("head_object", Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _NOT_THERE:
                return False
            if exc.response.get("Error", {}).get("Code") in _DENIED:
                # S3 answers 403 for a key that is not there to whoever may not list the bucket: a worker given only
                # s3:GetObject and s3:PutObject (least privilege) was refused here for every new value, and its
                # runs retried for ever. Uploaded (again): content-addressed, the same bytes; an upload it may
                # not make either is refused, and retried, naming PutObject.
                return False
            raise
        checksum = head.get("ChecksumSHA256")
        if _sha256_of(checksum) is not None:
            return _may_hold(key, checksum)
        # No whole-object SHA-256 kept (uploaded before checksums were asked for, by another tool, in parts, or by a
        # service that keeps none): trusted, one with other content was never uploaded again, and every read of its
        # claim was refused for good. Read and hashed instead, as every read of the value will be.
        try:
            return _holds_digest(key, await self._body(bucket, key))
        except ClientError:
            return False  # gone meanwhile, or not to be read by this client: uploaded, content-addressed

    async def get_object(self, *, bucket: str, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return await self._body(bucket, key)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            # S3 answers 403 for a key that is not there to whoever may not list the bucket: an expired value was
            # refused, read as a fault of access, and the run's workflow task retried for ever. Missing, where this
            # client may read the bucket's other objects; a client that may read none is refused, and retried.
            if code in _NOT_THERE or (code in _DENIED and await self._reads_the_bucket(bucket)):
                said = f"S3 answered {exc.response.get('Error', {}).get('Code')}"
                raise StoredPayloadMissing(
                    f"stored payload s3://{bucket}/{key} is missing ({said}): it expired (the bucket's lifecycle"
                    " rule) or this process reads another bucket than the worker that stored it (ORCHESTRA_S3_BUCKET)"
                ) from None
            raise

    async def _reads_the_bucket(self, bucket: str) -> bool:
        """Whether this client may read objects of ``bucket``: it writes a small object of its own and reads it back.
        Nothing else tells a key that is not there from one this client may not read, without s3:ListBucket."""
        from botocore.exceptions import ClientError

        try:
            await self._call("put_object", Bucket=bucket, Key=ACCESS_PROBE_KEY, Body=b"", ChecksumAlgorithm="SHA256")
            await self._call("head_object", Bucket=bucket, Key=ACCESS_PROBE_KEY)
        except ClientError:
            return False  # may not write it (a read-only client) or not read it: the refusal may be mended
        return True

    async def _body(self, bucket: str, key: str) -> bytes:
        # The body is checked against the SHA-256 S3 kept with the object as it is read: bytes damaged on the way
        # fail the read, which is retried. Unchecked, they failed the SDK's check of the claim's hash, which
        # refuses the value for good (storage/errors.py), and a run failed for a fault the next read mended.
        deadline, what = _deadline(), f"get_object of s3://{bucket}/{key}"
        get = partial(self._client.get_object, Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        body = (await self._in_time(get, deadline, what))["Body"]
        try:
            data: bytes = await self._in_time(body.read, deadline, what, cut=partial(_cut, body))
        finally:
            body.close()
        return data

    def describe(self) -> Mapping[str, str]:
        region = self._client.meta.region_name
        endpoint = self._client.meta.endpoint_url
        return {k: v for k, v in (("region", region), ("endpoint", endpoint)) if v}


class LimitedUploads(S3StorageDriverClient):
    """``client``, refusing to upload an object over ``max_payload_bytes``; what is there already is found as before."""

    def __init__(self, client: S3StorageDriverClient, max_payload_bytes: int) -> None:
        self._client = client
        self.max_payload_bytes = max_payload_bytes

    async def put_object(self, *, bucket: str, key: str, data: bytes) -> None:
        check_payload_size(len(data), self.max_payload_bytes)
        await self._client.put_object(bucket=bucket, key=key, data=data)

    async def object_exists(self, *, bucket: str, key: str) -> bool:
        return await self._client.object_exists(bucket=bucket, key=key)

    async def get_object(self, *, bucket: str, key: str) -> bytes:
        return await self._client.get_object(bucket=bucket, key=key)

    def describe(self) -> Mapping[str, str]:
        return self._client.describe()


class BucketS3StorageDriver(S3StorageDriver):
    """The SDK's driver, reading from its own bucket only: a claim comes from the history, which anyone who
    can write to the server can forge, and the SDK's driver reads whatever bucket a claim names with the
    worker's credentials. (Values are not bound to their workflow here as in the folder driver: the SDK
    chooses the keys, and stores a child's result under its parent's; docs/operations.md.)"""

    def __init__(self, client: S3StorageDriverClient, bucket: str, max_payload_size: int) -> None:
        # The limit is checked on what is uploaded (``LimitedUploads``), not by the SDK's driver on every value it
        # is handed: a replay hands it each value the run stored again, which it finds (content-addressed keys) and
        # does not upload. A worker restarted with a smaller limit refused them, and the run was retried for ever.
        super().__init__(client=LimitedUploads(client, max_payload_size), bucket=bucket, max_payload_size=_UNCHECKED)
        self.bucket = bucket
        self.max_payload_bytes = max_payload_size

    async def store(self, context: StorageDriverStoreContext, payloads: Sequence[Payload]) -> list[StorageDriverClaim]:
        try:
            return await super().store(context, payloads)
        except RuntimeError as exc:  # the SDK's wrapper: the refusal is not worth retrying (storage/errors.py)
            if isinstance(exc.__cause__, StoredPayloadTooLarge):
                raise exc.__cause__ from None
            raise

    async def retrieve(
        self, context: StorageDriverRetrieveContext, claims: Sequence[StorageDriverClaim]
    ) -> list[Payload]:
        for claim in claims:
            if claim.claim_data.get("bucket") != self.bucket:
                raise StoredPayloadInvalid(
                    f"a stored payload's claim names the bucket {claim.claim_data.get('bucket', '')[:200]!r};"
                    f" this store reads {self.bucket!r} only"
                )
            if not _written_by_driver(claim.claim_data):
                raise StoredPayloadInvalid(f"not a claim of the S3 driver: {dict(claim.claim_data)!r:.300}")
        # What the SDK's driver raises would fail the workflow task, which Temporal retries for ever: an
        # object that is gone, or not what its claim says, fails the run instead (storage/errors.py).
        try:
            return await super().retrieve(context, claims)
        except RuntimeError as exc:  # the SDK's wrapper of whatever the client raised
            if isinstance(exc.__cause__, StoredPayloadError):
                raise exc.__cause__ from None
            raise  # S3 unreachable, refused, throttled: the task is retried
        except ValueError as exc:  # the SDK's check of the content against the claim's hash
            raise StoredPayloadInvalid(f"a stored payload does not match its claim: {exc}") from None


def _may_hold(key: str, checksum: object) -> bool:
    """False when S3's whole-object SHA-256 ``checksum`` of the object at ``key`` is not the digest the key ends in."""
    shape = WRITTEN_KEY.fullmatch(key)
    return shape is None or _sha256_of(checksum) == shape["digest"]


def _holds_digest(key: str, body: bytes) -> bool:
    """Whether ``body`` is what the key ``key`` names (a key of another shape: whatever is there)."""
    shape = WRITTEN_KEY.fullmatch(key)
    return shape is None or hashlib.sha256(body).hexdigest() == shape["digest"]


def _sha256_of(checksum: object) -> str | None:
    """The hex digest S3's ``ChecksumSHA256`` says of a whole object; None: it says none ("-N" is a multipart
    upload's, a digest of its parts' digests)."""
    if not isinstance(checksum, str) or "-" in checksum:
        return None
    try:
        digest = base64.b64decode(checksum, validate=True)
    except ValueError:
        return None
    return digest.hex() if len(digest) == hashlib.sha256().digest_size else None


def _written_by_driver(claim: Mapping[str, str]) -> bool:
    """Whether ``claim`` is one the driver could have written. Any other key is refused before S3 is asked:
    S3 answers some (too long, or absent where the worker may not list the bucket) with errors that read as
    transient, and the workflow task that met them would be retried for ever."""
    key, digest = claim.get("key", ""), claim.get("hash_value", "")
    shape = WRITTEN_KEY.fullmatch(key)
    return (
        claim.get("hash_algorithm") == "sha256"
        and shape is not None
        and shape["digest"] == digest
        and len(key.encode()) <= MAX_KEY_BYTES
    )


def s3_driver(bucket: str, endpoint_url: str | None, region: str | None, max_payload_bytes: int) -> S3StorageDriver:
    if not bucket:
        raise ValueError("ORCHESTRA_STORAGE=s3 needs a bucket: set ORCHESTRA_S3_BUCKET")
    return BucketS3StorageDriver(Boto3StorageClient(endpoint_url, region), bucket, max_payload_bytes)
