"""A payload over the storage limit, in the folder and in S3 (moto, a real process on loopback): refused with a
non-retryable error carrying its size and the limit (a bare ValueError read as a failure worth retrying)."""

from __future__ import annotations

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo

from orchestra.settings import Settings
from orchestra.storage.drivers import storage_driver
from orchestra.storage.errors import StoredPayloadTooLarge

LIMIT = 10_000


@pytest.fixture(params=["folder", "s3"])
def bounded(request: pytest.FixtureRequest, storage_settings: Settings) -> Settings:
    settings = storage_settings if request.param == "folder" else request.getfixturevalue("s3_settings")
    assert isinstance(settings, Settings)
    return settings.model_copy(update={"storage_max_payload_bytes": LIMIT})


@pytest.mark.parametrize("extra", [1, 5_000, 1_000_000])
async def test_a_payload_over_the_limit_is_refused_for_good_with_its_size_and_the_limit(
    bounded: Settings, extra: int
) -> None:
    driver = storage_driver(bounded)
    assert driver is not None
    context = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="big"))
    fits, over = Payload(data=b"a" * 100), Payload(data=b"b" * (LIMIT + extra))
    with pytest.raises(StoredPayloadTooLarge) as refused:
        await driver.store(context, [fits, over])
    assert refused.value.non_retryable and refused.value.details == ({"size": over.ByteSize(), "limit": LIMIT},)
    assert f"payload of {over.ByteSize():,} bytes exceeds the storage limit of {LIMIT:,} bytes" in str(refused.value)
    assert len(await driver.store(context, [fits, Payload(data=b"c" * (LIMIT - 10))])) == 2, "within the limit: stored"


@pytest.fixture(params=["folder", "s3"])
def unbounded(request: pytest.FixtureRequest, storage_settings: Settings) -> Settings:
    settings = storage_settings if request.param == "folder" else request.getfixturevalue("s3_settings")
    assert isinstance(settings, Settings)
    return settings


async def test_a_value_stored_before_is_found_by_a_store_of_a_smaller_limit_and_not_written_again(
    unbounded: Settings,
) -> None:
    """A replay hands the store again each value its run stored: a worker restarted with a smaller limit finds them
    (it refused them, for ever); what it has not stored is still measured."""
    context = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="replayed", run_id="r1"))
    stored_before, new = Payload(data=b"d" * (LIMIT + 30_000)), Payload(data=b"e" * (LIMIT + 30_000))
    earlier = storage_driver(unbounded)
    assert earlier is not None
    claims = await earlier.store(context, [stored_before])
    smaller = storage_driver(unbounded.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    assert smaller is not None
    assert await smaller.store(context, [stored_before]) == claims
    with pytest.raises(StoredPayloadTooLarge):
        await smaller.store(context, [stored_before, new])
