"""One way to reach Temporal for the client, the worker and the tests."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import TLSConfig

from orchestra.settings import Settings


def tls_config(settings: Settings) -> TLSConfig | bool:
    if not settings.uses_tls():
        return False

    def read(path: str | None) -> bytes | None:
        return Path(path).read_bytes() if path else None

    return TLSConfig(
        server_root_ca_cert=read(settings.tls_ca),
        client_cert=read(settings.tls_cert),
        client_private_key=read(settings.tls_key),
        domain=settings.tls_server_name,
    )


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key,
        tls=tls_config(settings),
        data_converter=pydantic_data_converter,
    )
