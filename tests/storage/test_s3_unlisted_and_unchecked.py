"""What S3 says of a key decides whether a run fails or its task is retried. Without s3:ListBucket, S3 answers 403
for a key that is not there: an expired value was refused as a fault of access and its run retried for ever. It is
missing where the client may read the bucket's other objects, and a client that may read none is still retried. An
object with no SHA-256 kept with it was trusted as the value: one with other content there was never uploaded again,
and every read of its claim refused."""

from __future__ import annotations

import json

import boto3
import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    StorageDriver,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra.settings import Settings
from orchestra.storage.errors import StoredPayloadError, StoredPayloadMissing
from orchestra.storage.s3 import s3_driver
from tests.storage.conftest import CREDENTIALS
from tests.storage.faulty_s3 import Answer, Fault, faulty_s3

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
CONTEXT = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="wf-s3-403", run_id="r1"))
READ = StorageDriverRetrieveContext()
DENIED = (403, b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")
VALUES = "/d/sha256/"  # in the path of every key of a value, and of no other


def _through(settings: Settings, proxy: str) -> StorageDriver:
    assert settings.s3_bucket is not None
    return s3_driver(settings.s3_bucket, proxy, "us-east-1", 1_000_000)


def _delete(settings: Settings, claim: StorageDriverClaim) -> None:
    s3 = boto3.client("s3", endpoint_url=settings.s3_endpoint_url, region_name="us-east-1", **CREDENTIALS)
    s3.delete_object(Bucket=claim.claim_data["bucket"], Key=claim.claim_data["key"])  # expired


def _unlisted(method: str, path: str) -> Answer:
    """S3 to a client that may read and write objects but not list the bucket: 403 for a value's key not there (the
    test's values are all gone when it is asked), the client's other objects as they are."""
    return DENIED if method in ("GET", "HEAD") and VALUES in path else None


async def test_an_expired_value_read_without_list_rights_is_missing(s3_settings: Settings) -> None:
    assert s3_settings.s3_endpoint_url is not None
    [claim] = await _through(s3_settings, s3_settings.s3_endpoint_url).store(CONTEXT, [VALUE])
    _delete(s3_settings, claim)
    with (
        faulty_s3(s3_settings.s3_endpoint_url, _unlisted) as (proxy, _),
        pytest.raises(StoredPayloadMissing) as missing,
    ):
        await _through(s3_settings, proxy).retrieve(READ, [claim])
    assert claim.claim_data["key"] in missing.value.message and "expired" in missing.value.message


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param(lambda method, path: DENIED if method in ("GET", "HEAD") else None, id="may read no object"),
        pytest.param(
            lambda method, path: DENIED if method == "PUT" or (method in ("GET", "HEAD") and VALUES in path) else None,
            id="may not write (a read-only client): cannot tell",
        ),
    ],
)
async def test_a_client_refused_its_reads_is_retried_not_told_the_value_is_missing(
    s3_settings: Settings, refused: Fault
) -> None:
    """The same 403 where the client may not read the bucket at all (its rights are being mended), or cannot tell."""
    assert s3_settings.s3_endpoint_url is not None
    [claim] = await _through(s3_settings, s3_settings.s3_endpoint_url).store(CONTEXT, [VALUE])
    with faulty_s3(s3_settings.s3_endpoint_url, refused) as (proxy, _), pytest.raises(Exception) as failed:
        await _through(s3_settings, proxy).retrieve(READ, [claim])
    assert not isinstance(failed.value, StoredPayloadError), failed.value


@pytest.mark.parametrize("there", [b"not the value", VALUE.SerializeToString()], ids=["other content", "the value"])
async def test_an_object_without_a_checksum_is_read_to_know_whether_it_is_the_value(
    s3_settings: Settings, there: bytes
) -> None:
    assert s3_settings.s3_endpoint_url is not None
    with faulty_s3(s3_settings.s3_endpoint_url, lambda method, path: None) as (proxy, seen):
        driver = _through(s3_settings, proxy)
        [claim] = await driver.store(CONTEXT, [VALUE])
        s3 = boto3.client("s3", endpoint_url=s3_settings.s3_endpoint_url, region_name="us-east-1", **CREDENTIALS)
        s3.put_object(Bucket=claim.claim_data["bucket"], Key=claim.claim_data["key"], Body=there)  # no SHA-256 kept
        seen.clear()
        assert [c.claim_data for c in await driver.store(CONTEXT, [VALUE])] == [claim.claim_data]
        assert await driver.retrieve(READ, [claim]) == [VALUE]
    uploaded = [method for method, _ in seen].count("PUT")
    assert uploaded == (0 if there == VALUE.SerializeToString() else 1), seen
