"""Connection settings for Temporal Cloud or a secured cluster: mTLS or an API key, from the environment."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest
from temporalio.service import TLSConfig

from orchestra.connect import ConnectionSettingsError, tls_config
from orchestra.environment import SettingError
from orchestra.llm import LLMConfig
from orchestra.settings import Settings


def test_mtls_reads_certificate_key_and_ca_from_the_paths(tmp_path):
    files = {name: tmp_path / f"{name}.pem" for name in ("cert", "key", "ca")}
    pem = Path(certifi.where()).read_bytes()  # real certificates: each file is read as the TLS library reads it
    for name, path in files.items():
        path.write_bytes(b"-----BEGIN PRIVATE KEY-----\n" if name == "key" else pem)
    settings = Settings.from_env({
        "TEMPORAL_ADDRESS": "ns.acct.tmprl.cloud:7233", "TEMPORAL_NAMESPACE": "ns.acct",
        "TEMPORAL_TLS_CLIENT_CERT_PATH": str(files["cert"]), "TEMPORAL_TLS_CLIENT_KEY_PATH": str(files["key"]),
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH": str(files["ca"]), "TEMPORAL_TLS_SERVER_NAME": "ns.acct.tmprl.cloud",
    })  # fmt: skip
    tls = tls_config(settings)
    assert isinstance(tls, TLSConfig)
    assert tls.client_cert == pem and tls.client_private_key == b"-----BEGIN PRIVATE KEY-----\n"
    assert tls.server_root_ca_cert == pem and tls.domain == "ns.acct.tmprl.cloud"
    assert settings.namespace == "ns.acct"


def test_an_api_key_turns_tls_on_with_the_system_roots():
    settings = Settings.from_env(
        {"TEMPORAL_ADDRESS": "us-east-1.aws.api.temporal.io:7233", "TEMPORAL_API_KEY": "k" * 20}
    )
    tls = tls_config(settings)
    assert isinstance(tls, TLSConfig) and tls.client_cert is None and tls.server_root_ca_cert is None
    assert "k" * 20 not in repr(settings)  # never printed with the settings


def test_plain_tcp_by_default_and_tls_on_request():
    assert tls_config(Settings.from_env({})) is False
    assert isinstance(tls_config(Settings.from_env({"TEMPORAL_TLS": "true"})), TLSConfig)


@pytest.mark.parametrize("word", ["on", "ON", "Yes", "1"])
def test_every_word_for_yes_asks_for_tls(word):
    """``on`` read as off: a connection in clear text to a server the operator meant to reach by TLS."""
    assert isinstance(tls_config(Settings.from_env({"TEMPORAL_TLS": word})), TLSConfig)
    assert tls_config(Settings.from_env({"TEMPORAL_TLS": "off"})) is False


def test_a_word_for_tls_that_is_neither_yes_nor_no_is_refused():
    with pytest.raises(SettingError, match="TEMPORAL_TLS='enabled' is not a value it takes"):
        Settings.from_env({"TEMPORAL_TLS": "enabled"})


def test_the_llm_json_mode_is_off_for_every_word_for_no():
    """``off`` read as on: a server refusing response_format could not be told not to get it."""
    for word in ("off", "OFF", "no", "0"):
        assert LLMConfig.from_env({"ORCHESTRA_LLM_JSON_MODE": word}).json_mode is False
    assert LLMConfig.from_env({}).json_mode is True
    with pytest.raises(SettingError, match="ORCHESTRA_LLM_JSON_MODE='disabled' is not a value it takes"):
        LLMConfig.from_env({"ORCHESTRA_LLM_JSON_MODE": "disabled"})


def test_a_certificate_without_its_key_is_refused(tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_bytes(b"x")
    with pytest.raises(ConnectionSettingsError, match="TEMPORAL_TLS_CLIENT_KEY_PATH"):
        tls_config(Settings.from_env({"TEMPORAL_TLS_CLIENT_CERT_PATH": str(cert)}))
