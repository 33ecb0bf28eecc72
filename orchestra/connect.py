"""One way to reach Temporal for the client, the worker and the tests."""

from __future__ import annotations

import re
import ssl
from collections.abc import Sequence
from pathlib import Path

from temporalio.client import Client, Interceptor
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from orchestra.cli.errors import EXIT_INVALID, EXIT_UNREACHABLE
from orchestra.converter import data_converter
from orchestra.settings import Settings
from orchestra.telemetry import tracing
from orchestra.text import one_line


class ConnectionSettingsError(RuntimeError):
    pass


# The last reason the SDK's core gives in a failed connect ('... Os { ..., message: "Connection refused" }',
# '... error: "failed to lookup address information: Name or service not known"').
_CORE_REASON = re.compile(r'(?:message|error): "([^"]+)"')


def connect_failure(exc: BaseException, settings: Settings) -> tuple[str, int]:
    """What a failed ``connect`` says in one line, and the exit code the CLI gives it, for a process that stops
    on it (the worker): the SDK's core raised 'Failed client connect: Server connection error:
    tonic::transport::Error(...)' in a traceback. The reason is the core's own last words, or the error's."""
    if isinstance(exc, ConnectionSettingsError | ValueError):
        return f"cannot connect with these settings: {one_line(str(exc))}", EXIT_INVALID
    if isinstance(exc, OSError) and not isinstance(exc, ConnectionError):
        return f"cannot read a TLS file: {exc.strerror or exc} ({exc.filename})", EXIT_INVALID
    reasons = _CORE_REASON.findall(str(exc))
    reason = reasons[-1] if reasons else one_line(str(exc).removeprefix("Failed client connect: "))
    hint = "set TEMPORAL_ADDRESS, or start it: python client.py up"
    if "InvalidContentType" in str(exc):  # a TLS client's hello answered in clear text
        reason = "it does not answer in TLS"
        hint = "TEMPORAL_TLS, a client certificate or TEMPORAL_API_KEY turn TLS on"
    return f"cannot reach Temporal at {settings.address}: {reason} ({hint})", EXIT_UNREACHABLE


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

    return TLSConfig(
        server_root_ca_cert=_pem(settings.tls_ca, "TEMPORAL_TLS_SERVER_CA_CERT_PATH", _CERTIFICATE),
        client_cert=_pem(settings.tls_cert, "TEMPORAL_TLS_CLIENT_CERT_PATH", _CERTIFICATE),
        client_private_key=_pem(settings.tls_key, "TEMPORAL_TLS_CLIENT_KEY_PATH", _PRIVATE_KEY),
        domain=settings.tls_server_name,
    )


_CERTIFICATE = re.compile(rb"-----BEGIN CERTIFICATE-----")
_PRIVATE_KEY = re.compile(rb"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----")


def _pem(path: str | None, name: str, begins: re.Pattern[bytes]) -> bytes | None:
    """The file's bytes, when it holds what its setting names in PEM form: the SDK's core took /etc/passwd as a
    CA and its failed handshake said 'it does not answer in TLS', blaming the server for the operator's file."""
    if not path:
        return None
    data = Path(path).read_bytes()
    what = "certificate" if begins is _CERTIFICATE else "private key (unencrypted)"
    if begins.search(data) is None:
        raise ConnectionSettingsError(f"{name} ({path}) holds no {what} in PEM form ('{begins.pattern.decode()}')")
    if begins is _CERTIFICATE:
        try:  # a PEM header over a broken body: read as the TLS library reads it
            ssl.create_default_context(cadata=data.decode("ascii"))
        except (ssl.SSLError, UnicodeDecodeError, ValueError) as exc:
            raise ConnectionSettingsError(f"{name} ({path}) holds no certificate that can be read: {exc}") from None
    return data


async def missing_namespace(client: Client, settings: Settings) -> str | None:
    """Why the worker cannot serve ``settings.namespace``, if Temporal says it has no such namespace: the
    worker started, and its first poll failed with 'Worker validation failed: Namespace ... not found' in a
    traceback. Any other refusal (an API key may not describe namespaces) is left to the worker's own start."""
    from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
    from temporalio.service import RPCError, RPCStatusCode

    try:
        await client.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=settings.namespace))
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return f"Temporal at {settings.address} has no namespace {settings.namespace!r} (set TEMPORAL_NAMESPACE)"
    return None


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
