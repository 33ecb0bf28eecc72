"""The compose stack validates, and its worker is the same worker.py configured only by the environment.

Validation runs `docker compose config` (the compose plugin) or `docker-compose config` (Debian's
package): it needs neither a Docker daemon nor any image."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import yaml

from orchestra.settings import PROJECT_ROOT, Settings

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    pytest.fail(
        "neither `docker compose` nor `docker-compose` is installed: install one to validate docker-compose.yml "
        "(Debian: apt-get install -y docker-compose)"
    )


@pytest.fixture(scope="module")
def rendered() -> dict[str, Any]:
    result = subprocess.run(
        [*compose_command(), "-f", str(COMPOSE_FILE), "--profile", "codec", "config"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(PROJECT_ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


def test_the_stack_has_postgres_temporal_with_native_pause_ui_and_worker(rendered):
    services = rendered["services"]
    assert {"postgresql", "temporal", "temporal-ui", "worker", "codec-server"} <= set(services)
    temporal = services["temporal"]
    version = temporal["image"].rsplit(":", 1)[1]
    assert tuple(int(p) for p in version.split(".")[:2]) >= (1, 30), "native pause needs server 1.30+"
    dynamic = yaml.safe_load((PROJECT_ROOT / "deploy/dynamicconfig/production.yaml").read_text())
    assert dynamic["frontend.WorkflowPauseEnabled"][0]["value"] is True
    assert temporal["environment"]["DYNAMIC_CONFIG_FILE_PATH"].endswith("production.yaml")


def test_the_worker_service_runs_worker_py_with_settings_from_the_environment(rendered):
    worker = rendered["services"]["worker"]
    assert worker["command"] == ["python", "worker.py"]
    assert 'CMD ["python", "worker.py"]' in (PROJECT_ROOT / "Dockerfile").read_text()
    # Replicas must be able to coexist: no fixed container name, no host port.
    assert "container_name" not in worker and not worker.get("ports")
    env = {k: v or "" for k, v in worker["environment"].items()}
    settings = Settings.from_env(env)
    assert settings.address == "temporal:7233" and settings.task_queue == "orchestra"
    assert str(settings.workspace) == "/data/workspace"
    assert env["ORCHESTRA_LOG_FORMAT"] == "json" and env["ORCHESTRA_METRICS_ADDRESS"].endswith(":9464")
    # Every ORCHESTRA_/TEMPORAL_ variable it sets is one the code reads.
    sources = "".join(p.read_text() for p in [*PROJECT_ROOT.glob("orchestra/**/*.py"), PROJECT_ROOT / "worker.py"])
    unknown = [name for name in env if name.startswith(("ORCHESTRA_", "TEMPORAL_")) and name not in sources]
    assert not unknown, f"compose sets variables nothing reads: {unknown}"


def test_the_worker_and_codec_server_store_large_payloads_in_the_stacks_s3_service(rendered):
    services = rendered["services"]
    worker, codec, bucket = services["worker"], services["codec-server"], services["s3-bucket"]
    settings = Settings.from_env({k: v or "" for k, v in worker["environment"].items()})
    assert settings.storage == "s3" and settings.s3_endpoint_url == "http://s3:9000"
    assert Settings.from_env({k: v or "" for k, v in codec["environment"].items()}).s3_bucket == settings.s3_bucket
    # The drivers never create the bucket: a one-shot does, with the lifecycle rule that cleans it up.
    assert bucket["environment"]["BUCKET"] == settings.s3_bucket
    script = " ".join(bucket["command"])
    assert "mc mb --ignore-existing" in script and "--expire-days" in script
    assert worker["depends_on"]["s3-bucket"]["condition"] == "service_completed_successfully"
    assert "'.[s3]'" in (PROJECT_ROOT / "Dockerfile").read_text()  # the image has the S3 client
