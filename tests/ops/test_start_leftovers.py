"""What product143 left: a blank list setting read as 'none' where every other blank is the default, OTLP
settings the exporter ignores or breaks on started without a word, a CA file that is no certificate blamed on
the server, and two wordings of one refusal."""

from __future__ import annotations

import certifi

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, closed_port
from tests.ops.test_host_settings import _process

PUBLIC = "http://93.184.215.14/"  # a public address by literal: no DNS asked


async def test_a_blank_allowed_hosts_is_the_default_as_the_docs_say(tmp_path):
    """ORCHESTRA_ALLOWED_HOSTS='' passed the check as unset, and the worker then allowed no host at all."""
    for blank in ("", "  "):
        env = clean_env(ORCHESTRA_ALLOWED_HOSTS=blank, ORCHESTRA_DATA_DIR=str(tmp_path))
        code, said = await _process("-m", "orchestra.network", PUBLIC, env=env)
        assert code == 0 and said.startswith(f"allowed  {PUBLIC.rstrip('/')}"), said


async def test_otlp_settings_the_exporter_cannot_use_stop_the_worker_by_name():
    """grpc (the http exporter is the one installed: no span sent), a header with no '=' (dropped, its text, a
    key with it, logged) and a timeout that is no number (the default taken) started a worker without a word."""
    otlp = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_EXPORTER_OTLP_HEADERS": "Authorization Bearer sk-hidden",
        "OTEL_EXPORTER_OTLP_TIMEOUT": "abc",
        "OTEL_TRACES_EXPORTER": "otlp,jaeger",
    }
    with closed_port() as port:
        code, said = await _process(
            str(PROJECT_ROOT / "worker.py"), env=clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{port}", **otlp)
        )
    [line] = said.strip().splitlines()
    assert code == 2 and line.startswith("error: bad settings: "), said
    assert all(f"{name}=" in line for name in otlp if name != "OTEL_EXPORTER_OTLP_ENDPOINT"), said
    assert "sk-hidden" not in line and "its entry 1 is no name=value" in line, said


async def test_otlp_settings_left_for_another_program_stop_nothing_while_no_otlp_is_sent(tmp_path):
    """Checked whatever was exported, a grpc protocol set for another client (no endpoint here, or the SDK
    disabled) stopped every start of this one."""
    grpc = {"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TIMEOUT": "abc"}
    for more in ({}, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"}):
        env = clean_env(ORCHESTRA_DATA_DIR=str(tmp_path), **grpc, **more)
        code, said = await _process("-m", "orchestra.network", PUBLIC, env=env)
        assert code == 0 and said.startswith(f"allowed  {PUBLIC.rstrip('/')}"), said


async def test_every_process_says_a_refused_setting_in_one_wording(tmp_path):
    """The codec server said 'error: bad settings:', the worker and the operator's checks 'bad settings:'."""
    env = clean_env(ORCHESTRA_SEMANTIC="of", ORCHESTRA_DATA_DIR=str(tmp_path))
    lines = []
    for argv in (
        (str(PROJECT_ROOT / "worker.py"),),
        ("-m", "orchestra.codec_server", "--insecure"),
        ("-m", "orchestra.network", PUBLIC),
        (str(PROJECT_ROOT / "client.py"), "status", "some-id"),
    ):
        code, said = await _process(*argv, env=env)
        assert code == 2, said
        [line] = said.strip().splitlines()
        lines.append(line)
    assert all(line.startswith("error: bad settings: ORCHESTRA_SEMANTIC='of' is not a value") for line in lines), lines


async def test_a_tls_file_that_holds_no_certificate_or_key_is_named_not_the_server(tmp_path):
    """/etc/passwd as the CA: the SDK's core took it, and its failed handshake said Temporal 'does not answer in
    TLS', sending the operator to the server."""
    key = tmp_path / "key.pem"
    key.write_text("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    for files, named, what in (
        (
            {"TEMPORAL_TLS_SERVER_CA_CERT_PATH": "/etc/passwd"},
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH (/etc/passwd)",
            "certificate",
        ),
        (
            {"TEMPORAL_TLS_CLIENT_CERT_PATH": certifi.where(), "TEMPORAL_TLS_CLIENT_KEY_PATH": str(key)},
            f"TEMPORAL_TLS_CLIENT_KEY_PATH ({key})",
            "private key (unencrypted)",
        ),
    ):
        with closed_port() as port:
            env = clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{port}", **files)
            code, said = await _process(str(PROJECT_ROOT / "worker.py"), env=env)
        [line] = [line for line in said.splitlines() if not line.startswith("{")]  # a JSON log line may come first
        assert code == 2 and f"{named} holds no {what} in PEM form" in line, said
