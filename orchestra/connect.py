"""One way to reach Temporal for the client, the worker and the tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from temporalio.client import Client, Interceptor
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from orchestra.converter import data_converter
from orchestra.settings import Settings
from orchestra.telemetry import tracing


class ConnectionSettingsError(RuntimeError):
    pass


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS for Temporal Cloud or a secured cluster: mTLS (client certificate and key, optionally the
    server's CA and name) or an API key over TLS; plain TCP otherwise."""
    if not settings.uses_tls():
        return False
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise ConnectionSettingsError(
            "mTLS needs both a client certificate and its key: set TEMPORAL_TLS_CLIENT_CERT_PATH and "
            "TEMPORAL_TLS_CLIENT_KEY_PATH (or neither)"
        )

    def read(path: str | None) -> bytes | None:
        return Path(path).read_bytes() if path else None

    return TLSConfig(
        server_root_ca_cert=read(settings.tls_ca),
        client_cert=read(settings.tls_cert),
        client_private_key=read(settings.tls_key),
        domain=settings.tls_server_name,
    )


async def connect(
    settings: Settings, *, runtime: Runtime | None = None, interceptors: Sequence[Interceptor] = ()
) -> Client:
    """A client with the project's data converter (orchestra.converter: encryption when ORCHESTRA_CODEC_KEY
    is set, large payloads in external storage), traced when OTEL_* turns tracing on (a worker built on
    this client inherits both)."""
    tracing.configure_tracing()
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key,
        tls=tls_config(settings),
        data_converter=data_converter(settings),
        interceptors=[*tracing.interceptors(), *interceptors],
        runtime=runtime,
    )
