"""The worker stops on a Temporal it cannot reach, or an address it cannot connect to, as the CLI does: one line
saying what and why, and the CLI's exit code (3 unreachable, 2 bad settings). It printed the SDK's raw 'Failed
client connect: ... tonic::transport::Error(...)' traceback and exited 1; 'http://host:7233' was a DNS error on
'http', 'host:99999' a ValueError deep in the SDK."""

from __future__ import annotations

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, closed_port, run_client
from tests.ops.test_host_settings import _process


async def _worker(**env: str) -> tuple[int, str]:
    """Its exit code and its words (its lines are JSON off a terminal: tests/cli/test_worker_lines_format.py)."""
    return await _process(str(PROJECT_ROOT / "worker.py"), env=clean_env(**env))


async def test_a_worker_that_cannot_reach_temporal_says_so_in_one_line() -> None:
    with closed_port() as port:
        code, said = await _worker(TEMPORAL_ADDRESS=f"127.0.0.1:{port}")
    assert code == 3, said
    assert said.strip().splitlines() == [
        f"cannot reach Temporal at 127.0.0.1:{port}: Connection refused"
        " (set TEMPORAL_ADDRESS, or start it: python client.py up)"
    ]


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("host:99999", "its port is not a number from 1 to 65535"),
        ("http://host:7233", "it takes no scheme"),
        ("host", "it names no port"),
        ("[::1:7233", "it names no host"),
    ],
)
async def test_an_address_no_client_can_connect_to_is_refused_by_its_name(address: str, why: str) -> None:
    code, said = await _worker(TEMPORAL_ADDRESS=address)
    cli = await run_client("status", "some-id", env=clean_env(TEMPORAL_ADDRESS=address))
    flag = await run_client("--address", address, "status", "some-id", env=clean_env())
    assert code == 2 and f"TEMPORAL_ADDRESS={address!r}" in said and why in said and "Traceback" not in said, said
    assert cli.code == 2 and "TEMPORAL_ADDRESS=" in cli.err and why in cli.err, cli.err
    assert flag.code == 2 and "--address" in flag.err and "host:port" in flag.err, flag.err


async def test_a_worker_for_a_namespace_temporal_lacks_or_speaking_tls_to_a_clear_server_says_so(temporal_env) -> None:
    """The worker connected, then its first poll failed with 'Worker validation failed: Namespace ... not found'
    in a traceback; an API key (TLS) against a server in clear text was tonic's 'InvalidContentType'."""
    address = temporal_env.client.service_client.config.target_host
    code, said = await _worker(TEMPORAL_ADDRESS=address, TEMPORAL_NAMESPACE="no-such-namespace")
    assert code == 2, said
    assert said.strip().splitlines() == [
        f"Temporal at {address} has no namespace 'no-such-namespace' (set TEMPORAL_NAMESPACE)"
    ]
    code, said = await _worker(TEMPORAL_ADDRESS=address, TEMPORAL_API_KEY="not-a-key")
    assert code == 3 and "Traceback" not in said and "not-a-key" not in said, said
    assert said.strip().splitlines() == [
        f"cannot reach Temporal at {address}: it does not answer in TLS"
        " (TEMPORAL_TLS, a client certificate or TEMPORAL_API_KEY turn TLS on)"
    ]
