"""Every setting that names a host, port or URL is checked by one reader at start, and refused by its name and
why (exit 2, one line): ORCHESTRA_METRICS_ADDRESS reached Prometheus raw ('cannot connect with these
settings: Invalid Prometheus address', as if Temporal's address were wrong), the codec server's host a bare
'Name or service not known', ORCHESTRA_CODEC_SERVER_HOSTS, _PROTECTED_ENDPOINTS and _ALLOWED_HOSTS started a
worker or server that answered nobody, guarded nothing or failed every HTTP call of every run."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import uuid
from datetime import timedelta

import pytest
from google.protobuf.duration_pb2 import Duration
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest

from orchestra import environment
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, closed_port, run_client
from tests.ops.test_codec import codec_server_env

SDK_LIMIT_OF_KEYWORDS = 10  # the dev server's SQL visibility: 'cannot have more than 10 ... of type Keyword'


async def _process(*argv: str, env: dict[str, str], within: float = 60) -> tuple[int, str]:
    """The process's exit code and what it said, a line it wrote as JSON (its log's format off a terminal) read as
    its words: these tests read the words (tests/cli/test_bad_settings_format.py reads the format)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *argv, env=env, cwd=PROJECT_ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), within)
    assert process.returncode is not None
    return process.returncode, "".join(map(_words, (out + err).decode().splitlines(keepends=True)))


def _words(line: str) -> str:
    if not line.startswith("{"):
        return line
    try:
        said = json.loads(line)
    except ValueError:
        return line
    return f"{said['event']}\n" if isinstance(said, dict) and isinstance(said.get("event"), str) else line


@pytest.mark.parametrize(
    ("name", "word", "why"),
    [
        ("ORCHESTRA_METRICS_ADDRESS", "localhost:9464", "its host is not an IP address"),
        ("ORCHESTRA_METRICS_ADDRESS", "[fe80::1%eth0]:9464", "an IPv6 zone such as %eth0 is not taken"),
        ("ORCHESTRA_METRICS_ADDRESS", "http://127.0.0.1:9464", "it takes no scheme"),
        ("ORCHESTRA_METRICS_ADDRESS", "127.0.0.1:\uff19\uff14\uff16\uff14", "not ASCII"),
        ("ORCHESTRA_CODEC_SERVER_HOST", "user@127.0.0.1", "its host holds '@'"),
        ("ORCHESTRA_CODEC_SERVER_HOSTS", "localhost:99999", "its entry 'localhost:99999': its port is not"),
        ("ORCHESTRA_PROTECTED_ENDPOINTS", "ui.internal:8080,example.com", "its entry 'example.com': it names no port"),
        ("ORCHESTRA_ALLOWED_HOSTS", "*,[::1", "its entry '[::1': it cannot be read"),
        # A rule no host has, taken unsaid: the host the operator meant stayed refused at every call.
        ("ORCHESTRA_ALLOWED_HOSTS", "*,api example.com", "its entry 'api example.com': it holds a space"),
        # Read as 0.0.0.0/0: every IPv4 address, cloud metadata with it, opened by a rule meant for one.
        ("ORCHESTRA_ALLOWED_HOSTS", "*,1.2.3.4/0", "has bits set beyond its prefix: it would mean 0.0.0.0/0"),
        # 'Invalid URI' or 'InvalidDnsNameError' once connecting, and 'cannot reach Temporal ... set TEMPORAL_ADDRESS'
        ("TEMPORAL_TLS_SERVER_NAME", "temporal.internal:7233", "it takes a host alone, no port"),
        # A browser's Origin has no '/': the Web UI was refused by the codec server with no word of why.
        ("ORCHESTRA_CODEC_CORS_ORIGINS", "http://localhost:8233/", "no path, not even a trailing '/'"),
    ],
)
async def test_the_worker_and_the_cli_refuse_a_host_setting_by_its_name_and_why(name, word, why):
    with closed_port() as port:
        env = clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{port}", **{name: word})
        code, said = await _process(str(PROJECT_ROOT / "worker.py"), env=env)
        cli = await run_client("status", "some-id", env=env)
    named = f"{name}={environment.SETTINGS[name].shown(word)}"
    assert code == 2 and named in said and why in said and "Traceback" not in said, said
    assert len(said.strip().splitlines()) == 1, said
    assert cli.code == 2 and named in cli.err and why in cli.err, cli.err


async def test_a_metrics_address_the_worker_cannot_serve_is_named_not_taken_for_temporals():
    """A port in use: 'cannot connect with these settings: Failed starting Prometheus exporter: Address
    already in use', the operator sent to TEMPORAL_ADDRESS."""
    with socket.socket() as taken, closed_port() as temporal:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        env = clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{temporal}", ORCHESTRA_METRICS_ADDRESS=address)
        code, said = await _process(str(PROJECT_ROOT / "worker.py"), env=env)
    assert code == 2 and said.strip().splitlines() == [
        f"error: bad settings: ORCHESTRA_METRICS_ADDRESS={address!r} cannot be served: Failed starting Prometheus"
        " exporter: Address already in use (os error 98)"
    ], said


async def test_a_namespace_without_room_for_the_search_attributes_stops_the_worker_in_one_line(temporal_env):
    """The server refuses to add them (a namespace with all its Keyword attributes taken): the worker printed
    SearchAttributesMissing in a traceback and exited 1."""
    namespace = f"full-{uuid.uuid4().hex[:8]}"
    retention = Duration()
    retention.FromTimedelta(timedelta(days=1))
    client = temporal_env.client
    await client.workflow_service.register_namespace(
        RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=retention)
    )
    filler = {f"Filler{n}": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for n in range(SDK_LIMIT_OF_KEYWORDS)}
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(namespace=namespace, search_attributes=filler)
    )
    address = client.service_client.config.target_host
    code, said = await _process(
        str(PROJECT_ROOT / "worker.py"), env=clean_env(TEMPORAL_ADDRESS=address, TEMPORAL_NAMESPACE=namespace)
    )
    assert code == 2 and "Traceback" not in said, said
    [line] = said.strip().splitlines()
    assert line.startswith(f"namespace {namespace} lacks the search attributes") and "OrchestraState" in line


async def test_a_tool_file_the_worker_cannot_read_stops_it_in_one_line(temporal_env, tmp_path):
    """ORCHESTRA_REGISTRY naming a missing or broken file was a ValueError in a traceback, exit 1 (the CLI said
    'cannot load the tool registry')."""
    broken = tmp_path / "tools.yaml"
    broken.write_text("tools: [ {name: ")
    address = temporal_env.client.service_client.config.target_host
    for files in (str(tmp_path / "missing.yaml"), str(broken)):
        env = clean_env(TEMPORAL_ADDRESS=address, ORCHESTRA_REGISTRY=files, ORCHESTRA_DATA_DIR=str(tmp_path))
        code, said = await _process(str(PROJECT_ROOT / "worker.py"), env=env)
        assert code == 2 and "Traceback" not in said, said
        [line] = [line for line in said.splitlines() if not line.startswith("{")]  # a JSON log line may come first
        assert line.startswith(f"cannot load the tool registry: {files}"), said


async def test_the_codec_server_listens_on_an_ipv6_host_in_brackets_and_names_a_host_it_cannot_use():
    """'[::1]' as ORCHESTRA_CODEC_SERVER_HOST was 'error: [Errno -2] Name or service not known'; a host that
    does not resolve said so without naming the setting; --host took 'user@h' and failed the same way."""
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "orchestra.codec_server", "--insecure", "--port", "0", cwd=PROJECT_ROOT,
        env=codec_server_env(ORCHESTRA_CODEC_SERVER_HOST="[::1]"), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        first = (await asyncio.wait_for(server.stdout.readline(), 60)).decode()
        assert first.startswith("codec server on http://[::1]:"), first
    finally:
        server.terminate()
        await server.wait()
    argv = ("-m", "orchestra.codec_server", "--insecure", "--port", "0")
    code, said = await _process(*argv, env=codec_server_env(ORCHESTRA_CODEC_SERVER_HOST="nothing.invalid"))
    assert code == 2 and "cannot listen on nothing.invalid" in said and "ORCHESTRA_CODEC_SERVER_HOST" in said, said
    code, said = await _process(*argv, "--host", "user@127.0.0.1", env=codec_server_env())
    assert code == 2 and "--host" in said and "its host holds '@'" in said and "Traceback" not in said, said


async def test_the_boundary_check_names_a_url_without_its_password_and_refuses_a_zone():
    """`python -m orchestra.network URL` printed the URL as typed, its password and key with it; a host with an
    IPv6 zone ('[::1%1]', ::1 to the socket) was no address the guard of the worker's own services knew."""
    env = clean_env(ORCHESTRA_ALLOWED_HOSTS="*,::1/128", TEMPORAL_ADDRESS="[::1]:7233")
    code, said = await _process(
        "-m", "orchestra.network", "http://ann:hunter2@example.invalid/v1/sk-path?key=sk-query", "http://[::1%1]:7233/",
        env=env,
    )  # fmt: skip
    assert code == 0 and "hunter2" not in said and "sk-path" not in said and "sk-query" not in said, said
    assert "http://example.invalid/…" in said, said
    assert "refused  http://[::1%1]:7233: " in said and "an IPv6 zone" in said, said


async def test_a_refused_host_setting_does_not_show_the_password_written_into_it():
    with closed_port() as port:
        env = clean_env(
            TEMPORAL_ADDRESS="ann:hunter2@localhost:7233", ORCHESTRA_PROTECTED_ENDPOINTS=f"ann:pw2@h:{port}"
        )
        code, said = await _process(str(PROJECT_ROOT / "worker.py"), env=env)
    assert code == 2 and "TEMPORAL_ADDRESS='…@localhost:7233'" in said and "ORCHESTRA_PROTECTED_ENDPOINTS=" in said
    assert "hunter2" not in said and "pw2" not in said, said


async def test_the_codec_server_names_a_storage_it_cannot_show_values_from_in_one_line():
    """ORCHESTRA_STORAGE=s3 with no bucket: the codec server, which shows stored values, printed a traceback."""
    argv = ("-m", "orchestra.codec_server", "--insecure", "--port", "0")
    code, said = await _process(*argv, env=codec_server_env(ORCHESTRA_STORAGE="s3", ORCHESTRA_S3_BUCKET=""))
    assert code == 2 and said.strip().splitlines() == [
        "error: ORCHESTRA_STORAGE=s3 needs a bucket: set ORCHESTRA_S3_BUCKET"
    ], said


@pytest.mark.parametrize("module", ["orchestra.network", "orchestra.sandbox"])
async def test_the_operators_checks_refuse_a_bad_setting_in_one_line(module):
    """`python -m orchestra.network URL` and `python -m orchestra.sandbox` (docs/security.md's first commands)
    printed the SettingError's traceback and exited 1."""
    env = clean_env(ORCHESTRA_ALLOWED_HOSTS="*,[::1", ORCHESTRA_SANDBOX="bwrapx")
    code, said = await _process("-m", module, "http://example.invalid/", env=env)
    assert code == 2 and "Traceback" not in said, said
    [line] = said.strip().splitlines()
    assert (
        line.startswith("error: bad settings: ")
        and "ORCHESTRA_ALLOWED_HOSTS='*,[::1'" in line
        and "ORCHESTRA_SANDBOX=" in line
    )
