"""What a real S3 (or the network to it) does that moto alone never does, through a proxy in front of moto: a fault a
retry mends stays retryable (the workflow task is tried again), and what S3 says of a missing key to a worker of
least privilege does not stop every store."""

from __future__ import annotations

import json

import boto3
import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    StorageDriver,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra.settings import Settings
from orchestra.storage.errors import StoredPayloadError
from orchestra.storage.s3 import s3_driver
from tests.storage.conftest import CREDENTIALS
from tests.storage.faulty_s3 import Answer, faulty_s3

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
CONTEXT = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="wf-s3-faults", run_id="r1"))
READ = StorageDriverRetrieveContext()


def _through(settings: Settings, proxy: str) -> StorageDriver:
    assert settings.s3_bucket is not None
    return s3_driver(settings.s3_bucket, proxy, "us-east-1", 1_000_000)


async def test_a_worker_that_may_not_list_the_bucket_stores_new_values(s3_settings: Settings) -> None:
    """S3 answers a HEAD of a key that is not there with 403 where the caller may not list the bucket: a worker given
    s3:GetObject and s3:PutObject only was refused at every new value's exists check, and its runs retried for ever."""
    assert s3_settings.s3_endpoint_url is not None

    def listing_denied(method: str, path: str) -> Answer:
        return (403, b"") if method == "HEAD" else None

    with faulty_s3(s3_settings.s3_endpoint_url, listing_denied) as (proxy, seen):
        driver = _through(s3_settings, proxy)
        [claim] = await driver.store(CONTEXT, [VALUE])
        assert await driver.retrieve(READ, [claim]) == [VALUE]
    assert [method for method, _ in seen] == ["HEAD", "PUT", "GET"]
    s3 = boto3.client("s3", endpoint_url=s3_settings.s3_endpoint_url, region_name="us-east-1", **CREDENTIALS)
    stored = s3.get_object(Bucket=claim.claim_data["bucket"], Key=claim.claim_data["key"])["Body"].read()
    assert stored == VALUE.SerializeToString()


@pytest.mark.parametrize("damage", ["flip", "cut"], ids=["a bit changed on the way", "cut short on the way"])
async def test_a_body_damaged_on_the_way_fails_the_read_for_a_retry_not_for_good(
    s3_settings: Settings, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes changed between S3 and the worker failed the SDK's check of the claim's hash, which refuses the value for
    good (StoredPayloadInvalid): the run failed for a fault the next read mends. The body is checked against the
    SHA-256 S3 kept with the object as it is read; a damaged one is an error the workflow task is retried for. Asked
    for on every read, whatever boto3 checks by itself: before 1.36 (``boto3>=1.34`` is allowed), or with
    AWS_RESPONSE_CHECKSUM_VALIDATION=when_required (an operator's setting), it checks nothing it is not asked to."""
    assert s3_settings.s3_endpoint_url is not None
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
    reads = 0

    def first_read_damaged(method: str, path: str) -> Answer:
        nonlocal reads
        if method != "GET":
            return None
        reads += 1
        return "flip" if damage == "flip" and reads == 1 else "cut" if reads == 1 else None

    with faulty_s3(s3_settings.s3_endpoint_url, first_read_damaged) as (proxy, _):
        driver = _through(s3_settings, proxy)
        [claim] = await driver.store(CONTEXT, [VALUE])
        with pytest.raises(Exception) as failed:
            await driver.retrieve(READ, [claim])
        assert not isinstance(failed.value, StoredPayloadError), failed.value
        assert await driver.retrieve(READ, [claim]) == [VALUE]  # the retry
