"""A local S3-compatible server (moto in server mode, a real process on loopback) and clients whose
converter stores large payloads in the data folder or in that server."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from temporalio.client import Client

from orchestra.converter import compose
from orchestra.settings import Settings

S3_READY = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """``python -m moto.server`` on a free port; yields its URL once it says it is listening."""
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    ready = threading.Event()
    found: list[str] = []

    def drain() -> None:  # reads every line, so the server never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            match = S3_READY.search(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()  # the process ended

    threading.Thread(target=drain, daemon=True).start()
    try:
        assert ready.wait(60) and found, "moto server did not start"
        yield found[0]
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def s3_settings(moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for a fresh bucket of the local S3 server (credentials as boto3 reads them)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])
    bucket = f"orchestra-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", **CREDENTIALS)
    s3.create_bucket(Bucket=bucket)
    return Settings(
        storage="s3", s3_bucket=bucket, s3_endpoint_url=moto_endpoint, s3_region="us-east-1", data_dir=tmp_path
    )


def client_with(client: Client, settings: Settings) -> Client:
    """The session's connection with the converter these settings build."""
    config = client.config()
    config["data_converter"] = compose(None, settings)
    return Client(**config)
