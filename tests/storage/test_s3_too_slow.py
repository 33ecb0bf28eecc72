"""An S3 endpoint (or a proxy on the way) that sends a byte now and then never trips boto3's timeouts, which bound each
wait for a byte, not the call: a read held its thread for as long as the trickle went on, each retry of the workflow
task another, until the store's pool was held and every store and read of the process waited. A call now ends at its
deadline, retryable, and the thread reading is freed."""

from __future__ import annotations

import asyncio
import json

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import StorageDriverRetrieveContext, StorageDriverStoreContext, StorageDriverWorkflowInfo

from orchestra.settings import Settings
from orchestra.storage import s3
from orchestra.storage.errors import StoredPayloadError
from tests.storage.faulty_s3 import Answer, faulty_s3

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
CONTEXT = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="wf-s3-slow", run_id="r1"))
READ = StorageDriverRetrieveContext()


async def test_a_read_trickled_ends_at_its_deadline_and_frees_its_thread(
    s3_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert s3_settings.s3_endpoint_url is not None and s3_settings.s3_bucket is not None
    monkeypatch.setattr(s3, "OPERATION_DEADLINE_S", 1.0)  # the trickle outlasts any deadline: this is no speed bound
    trickling = True

    def slow_reads(method: str, path: str) -> Answer:
        return "trickle" if trickling and method == "GET" else None

    with faulty_s3(s3_settings.s3_endpoint_url, slow_reads) as (proxy, _):
        driver = s3.s3_driver(s3_settings.s3_bucket, proxy, "us-east-1", 1_000_000)
        [claim] = await driver.store(CONTEXT, [VALUE])
        # More reads at once than the pool has threads: every one held a thread for good before.
        reads = [driver.retrieve(READ, [claim]) for _ in range(s3.CONCURRENCY + 1)]
        failures = await asyncio.gather(*reads, return_exceptions=True)
        trickling = False
        back = await driver.retrieve(READ, [claim])  # S3 answers at its pace again: the pool is free for it
    assert back == [VALUE]
    for failure in failures:
        assert isinstance(failure, Exception) and not isinstance(failure, StoredPayloadError), failure
        assert isinstance(failure.__cause__, s3.S3TooSlow), repr(failure)
        assert claim.claim_data["key"] in str(failure.__cause__) and "within 1 s" in str(failure.__cause__)
