"""The limit a hand-over's pieces are measured against is the smallest that applies: the worker's settings and the
store its client's converter writes to may differ (an application or a test builds the worker on a client of its
own). Before, the worker's settings alone were used: a 300 KB store under a worker on the default 50 MiB was given
the first run's steps (535 KB) in one call, whose encoding failed, and the run's workflow task was retried for
ever."""

from __future__ import annotations

import asyncio
import base64
import sys
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli.errors import EXIT_INVALID
from orchestra.codec import MAX_KEY_ID_BYTES, CodecKeyError, EncryptionCodec
from orchestra.converter import compose
from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import NOTHING_STORED_OUTSIDE, TEMPORAL_PAYLOAD_LIMIT, Settings
from orchestra.storage.drivers import largest_value
from orchestra.storage.step_chunks import whole_record
from tests.cli.cli import clean_env, closed_port
from tests.helpers import settings_for, start_plan
from tests.storage.conftest import client_with
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S, STEPS, long_ids_plan
from tests.workflows.test_too_large_to_store import LIMIT
from worker import create_worker
from workflows.handover_pieces import Fit

REPO = Path(__file__).resolve().parents[2]

STORE_NAME = "the storage limit ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES"


def test_the_smallest_limit_that_applies_is_the_runs(tmp_path: Path) -> None:
    small_store = compose(None, Settings(data_dir=tmp_path, storage_max_payload_bytes=LIMIT))
    default_store = compose(None, Settings(data_dir=tmp_path))
    assert largest_value(Settings(data_dir=tmp_path), small_store) == (LIMIT, STORE_NAME)
    assert largest_value(Settings(data_dir=tmp_path, storage_max_payload_bytes=16_000), default_store) == (
        16_000,
        STORE_NAME,
    )
    # A converter that stores nothing outside: the values stay in the history, whatever the settings say.
    assert largest_value(Settings(data_dir=tmp_path), compose(None, None)) == (
        TEMPORAL_PAYLOAD_LIMIT,
        NOTHING_STORED_OUTSIDE,
    )
    # Settings that store nothing, a client whose converter stores: its store's limit binds.
    assert largest_value(Settings(data_dir=tmp_path, storage="off"), small_store) == (LIMIT, STORE_NAME)


async def test_a_client_with_a_small_store_under_a_worker_on_the_default_cuts_the_hand_over(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    limited = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    default_worker = settings_for(task_queue, tmp_path)  # the default limit, 50 MiB
    assert default_worker.storage_max_payload_bytes > 100 * LIMIT
    async with create_worker(limited, default_worker):
        handle = await start_plan(limited, task_queue, long_ids_plan(STEPS))
        await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        record = await handle.query("record", result_type=ExecutionRecord)
    assert record.state.value == "completed" and len(record.runs) >= 2, (record.state, record.runs)
    # How many steps a run finishes before its history fills depends on the machine's load: its chunk is cut in pieces
    # only when they do not fit (under CI's load the first run's fitted once at 295,045 bytes), but none is ever over.
    assert all(c.stored is not None and c.stored.bytes <= LIMIT for c in record.earlier), record.earlier
    whole = await whole_record(limited.data_converter, record)
    assert [s.node_id for s in whole.steps] == [n["id"] for n in long_ids_plan(STEPS)["nodes"]]
    assert all(s.state == StepState.COMPLETED for s in whole.steps)


def test_a_key_id_longer_than_the_codecs_room_is_refused() -> None:
    """A key id is written into every payload, past the 1,024 bytes a piece leaves for the codec: one of 900
    bytes was taken, and a piece measured to fit was refused by the store (its run retried for ever)."""
    key = base64.b64encode(b"k" * 32).decode()
    for key_id in ("k" * 900, "€" * 86):  # '€' is 3 bytes: 258
        with pytest.raises(CodecKeyError, match=f"ORCHESTRA_CODEC_KEY_ID is {len(key_id.encode()):,} bytes"):
            EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": key, "ORCHESTRA_CODEC_KEY_ID": key_id})


async def test_the_longest_key_id_leaves_every_piece_within_the_limit() -> None:
    key_id = "€" * (MAX_KEY_ID_BYTES // 3) + "k" * (MAX_KEY_ID_BYTES % 3)
    assert len(key_id.encode()) == MAX_KEY_ID_BYTES
    codec = EncryptionCodec.from_env({"ORCHESTRA_CODEC_KEY": base64.b64encode(b"k" * 32).decode(),
                                      "ORCHESTRA_CODEC_KEY_ID": key_id})  # fmt: skip
    assert codec is not None
    fit = Fit(LIMIT, STORE_NAME)
    fullest = ["x" * (fit.room - 4)]  # '["' and '"]': exactly the room of one call
    assert fit.fits(fullest) and not fit.fits(["x" * (fit.room - 3)])
    [payload] = await compose(codec, None).encode([fullest])
    assert payload.ByteSize() <= LIMIT, payload.ByteSize()


async def test_a_worker_with_a_key_id_too_long_does_not_start_and_says_why(tmp_path: Path) -> None:
    with closed_port() as port:
        env = clean_env(
            TEMPORAL_ADDRESS=f"127.0.0.1:{port}", ORCHESTRA_WORKSPACE=str(tmp_path),
            ORCHESTRA_CODEC_KEY=base64.b64encode(b"k" * 32).decode(), ORCHESTRA_CODEC_KEY_ID="k" * 900,
        )  # fmt: skip
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(REPO / "worker.py"), env=env, stdout=PIPE, stderr=PIPE
        )
        _, err = await asyncio.wait_for(process.communicate(), 120)
    said = err.decode()
    assert process.returncode == EXIT_INVALID, said
    assert "ORCHESTRA_CODEC_KEY_ID is 900 bytes" in said and "Traceback" not in said, said
