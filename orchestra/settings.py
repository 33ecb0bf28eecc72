"""Settings from environment variables (and CLI flags), with the embedded stack as the default.

Connection settings use Temporal's own variable names (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
TEMPORAL_API_KEY, TEMPORAL_TLS_*) so the same environment drives this tool and the `temporal` CLI.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from orchestra import environment
from orchestra.allowlists import DEFAULT_COMMANDS, DEFAULT_HOSTS
from orchestra.sandbox import DEFAULT_UID
from orchestra.temporal_bounds import PLAN_PIECE_BYTES, PLAN_PIECE_MOST_BYTES, PLAN_PIECE_STEPS

if TYPE_CHECKING:
    from orchestra.confinement import Confinement
    from orchestra.network import Endpoint

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What Temporal refuses in one payload (limit.blobSize.error): the largest value when nothing is stored
# outside the history.
TEMPORAL_PAYLOAD_LIMIT = 2 * 1024 * 1024
# The name of a run's value limit when nothing is stored outside the history (ORCHESTRA_STORAGE=off): a local
# activity's arguments then stay in the worker, and a hand-over stores nothing (workflows/handover_pieces.py).
NOTHING_STORED_OUTSIDE = "Temporal's payload limit (ORCHESTRA_STORAGE=off stores nothing outside)"


def _split(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class Settings(BaseModel):
    address: str = "localhost:7233"
    namespace: str = "default"
    task_queue: str = "orchestra"
    api_key: str | None = Field(None, repr=False)
    tls: bool = False
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_ca: str | None = None
    tls_server_name: str | None = None
    data_dir: Path = PROJECT_ROOT / "data"
    workspace: Path = PROJECT_ROOT / "data" / "workspace"
    registry_files: list[str] = Field(default_factory=list)
    allowed_hosts: list[str] = Field(default_factory=lambda: list(DEFAULT_HOSTS))
    allowed_commands: list[str] = Field(default_factory=lambda: list(DEFAULT_COMMANDS))
    # More services no tool may reach (host:port), beyond those derived below (e.g. a remote Web UI).
    protected_endpoints: list[str] = Field(default_factory=list)
    max_output_bytes: int = 1_000_000
    ui_port: int = 8233
    # Payloads from this size on go to external storage, the history keeps a reference (orchestra/storage).
    storage: Literal["folder", "s3", "off"] = "folder"
    storage_threshold_bytes: int = Field(32 * 1024, ge=0)
    storage_max_payload_bytes: int = Field(50 * 1024 * 1024, gt=0)
    storage_dir: Path | None = None  # the folder driver's root; default data_dir/payloads
    # A plan started with more steps than one piece of these is started by reference (orchestra/plan_start.py).
    plan_piece_steps: int = Field(PLAN_PIECE_STEPS, gt=0)
    plan_piece_bytes: int = Field(PLAN_PIECE_BYTES, gt=0, le=PLAN_PIECE_MOST_BYTES)  # what a run reads of one
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    demo_site_port: int = 8234  # the fixture site `up` serves for the example plan (orchestra/demo_site.py)
    sandbox: str = "auto"
    sandbox_uid: int = DEFAULT_UID
    sandbox_memory_mb: int = Field(1024, gt=0)
    sandbox_file_mb: int = Field(1024, gt=0)
    sandbox_processes: int = Field(256, gt=0)
    sandbox_memory_total_mb: int = Field(2048, gt=0, le=environment.MOST_MEMORY_TOTAL_MB)
    # How often a running step's heartbeat goes out at most: how late it may hear a cancel or the plan's
    # deadline, against one call to the server per running step each time.
    # The most tool calls the worker takes on at once: many per core, as each is started by Python on one event
    # loop while its heartbeat clock runs (worker.py's WORKER_TUNING); None is 32 per core.
    max_activities: int | None = Field(None, ge=1, le=environment.MOST_ACTIVITIES)
    heartbeat_every_s: float = Field(2.0, gt=0, le=environment.MAX_SETTING_S, allow_inf_nan=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if env is None else env)
        environment.check_environment(env)  # every setting's word, each refused by its name
        values: dict[str, Any] = {}
        simple = {
            "TEMPORAL_ADDRESS": "address",
            "TEMPORAL_NAMESPACE": "namespace",
            "TEMPORAL_API_KEY": "api_key",
            "TEMPORAL_TLS_CLIENT_CERT_PATH": "tls_cert",
            "TEMPORAL_TLS_CLIENT_KEY_PATH": "tls_key",
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH": "tls_ca",
            "TEMPORAL_TLS_SERVER_NAME": "tls_server_name",
            "ORCHESTRA_TASK_QUEUE": "task_queue",
            "ORCHESTRA_DATA_DIR": "data_dir",
            "ORCHESTRA_WORKSPACE": "workspace",
            "ORCHESTRA_MAX_OUTPUT_BYTES": "max_output_bytes",
            "ORCHESTRA_UI_PORT": "ui_port",
            "ORCHESTRA_STORAGE": "storage",
            "ORCHESTRA_STORAGE_THRESHOLD_BYTES": "storage_threshold_bytes",
            "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES": "storage_max_payload_bytes",
            "ORCHESTRA_STORAGE_DIR": "storage_dir",
            "ORCHESTRA_PLAN_PIECE_STEPS": "plan_piece_steps",
            "ORCHESTRA_PLAN_PIECE_BYTES": "plan_piece_bytes",
            "ORCHESTRA_S3_BUCKET": "s3_bucket",
            "ORCHESTRA_S3_ENDPOINT_URL": "s3_endpoint_url",
            "ORCHESTRA_S3_REGION": "s3_region",
            "ORCHESTRA_DEMO_SITE_PORT": "demo_site_port",
            "ORCHESTRA_SANDBOX": "sandbox",
            "ORCHESTRA_SANDBOX_UID": "sandbox_uid",
            "ORCHESTRA_SANDBOX_MEMORY_MB": "sandbox_memory_mb",
            "ORCHESTRA_SANDBOX_FILE_MB": "sandbox_file_mb",
            "ORCHESTRA_HEARTBEAT_EVERY_S": "heartbeat_every_s",
            "ORCHESTRA_SANDBOX_PROCESSES": "sandbox_processes",
            "ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB": "sandbox_memory_total_mb",
            "ORCHESTRA_MAX_ACTIVITIES": "max_activities",
        }
        for var, name in simple.items():
            # A setting environment.py knows is read as it checked it: stripped, empty as unset, in its case. Free
            # text is stripped too: ORCHESTRA_TASK_QUEUE=' ' started a worker polling the queue ' '.
            word = environment.value(var, env) if var in environment.SETTINGS else (env.get(var) or "").strip()
            if word:
                values[name] = word
        if env.get("TEMPORAL_TLS", "").strip():
            # pydantic reads the word (1/true/yes/on, 0/false/no/off) and refuses any other: ``on`` or
            # ``enabled`` read as off connected in clear text to a server the operator meant to reach by TLS.
            values["tls"] = env["TEMPORAL_TLS"].strip()
        for var, name in (
            ("ORCHESTRA_REGISTRY", "registry_files"),
            ("ORCHESTRA_ALLOWED_HOSTS", "allowed_hosts"),
            ("ORCHESTRA_ALLOWED_COMMANDS", "allowed_commands"),
            ("ORCHESTRA_PROTECTED_ENDPOINTS", "protected_endpoints"),
        ):
            # Blank is the default, as for every setting (docs/operations.md) and as the check read it:
            # ORCHESTRA_ALLOWED_HOSTS='' passed the check as unset and left the worker with no host at all.
            if (env.get(var) or "").strip():
                values[name] = _split(env[var])
        if "data_dir" in values and "workspace" not in values:
            values["workspace"] = Path(values["data_dir"]) / "workspace"
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def confinement(self) -> Confinement:
        # Imported here: most commands (`plan`, `status`...) read settings but confine no tool.
        from orchestra.confinement import Confinement
        from orchestra.sandbox import Limits, detect
        from orchestra.tools.offload import LocalLimits

        self.workspace.mkdir(parents=True, exist_ok=True)
        sandbox = detect(self.sandbox, self.sandbox_uid)
        if self.sandbox.strip().lower() == "bwrap" and sandbox.mode != "bwrap":
            raise RuntimeError(f"ORCHESTRA_SANDBOX=bwrap but {sandbox.reason}")
        mib = 1024 * 1024
        return Confinement(
            workspace=self.workspace,
            allowed_hosts=tuple(self.allowed_hosts),
            allowed_commands=tuple(self.allowed_commands),
            max_output_bytes=self.max_output_bytes,
            protected_endpoints=tuple(self.worker_endpoints()),
            sandbox=sandbox,
            sandbox_limits=Limits(
                memory_bytes=self.sandbox_memory_mb * mib,
                file_bytes=self.sandbox_file_mb * mib,
                processes=self.sandbox_processes,
                total_memory_bytes=self.sandbox_memory_total_mb * mib,
            ),
            local_limits=LocalLimits.from_env(output_bytes=4 * self.max_output_bytes),
        )

    def largest_value(self) -> tuple[int, str]:
        """The largest single value a run can carry (a plan, a node's arguments), and that limit's name."""
        if self.storage == "off":
            return TEMPORAL_PAYLOAD_LIMIT, NOTHING_STORED_OUTSIDE
        return self.storage_max_payload_bytes, "the storage limit ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES"

    def storage_folder(self) -> Path:
        """Where the folder driver stores: every worker and client of a stack must see the same folder."""
        return self.storage_dir or self.data_dir / "payloads"

    def worker_endpoints(self, env: dict[str, str] | None = None) -> list[Endpoint]:
        """The worker's own services, which no tool may reach: the Temporal frontend, its Web UI (the
        configured port and the dev server's default, frontend + 1000), the metrics and codec endpoints,
        the S3 endpoint where large payloads are stored."""
        from orchestra.network import Endpoint, endpoint_from_address

        env = dict(os.environ if env is None else env)
        frontend = endpoint_from_address(self.address, "Temporal frontend")
        found: list[Endpoint] = []
        if frontend is not None:
            host = frontend.host
            found.append(Endpoint(host, frontend.port, frontend.what, guard_host=True))
            found += [Endpoint(host, port, "Temporal Web UI") for port in {self.ui_port, frontend.port + 1000}]
        codec_host = environment.value("ORCHESTRA_CODEC_SERVER_HOST", env) or "127.0.0.1"
        codec_port = environment.value("ORCHESTRA_CODEC_SERVER_PORT", env) or "8081"
        storage = urlsplit(self.s3_endpoint_url or "")
        storage_port = storage.port or {"http": 80, "https": 443}.get(storage.scheme)
        for address, what in (
            (environment.value("ORCHESTRA_METRICS_ADDRESS", env) or "", "metrics endpoint"),
            (f"[{codec_host}]:{codec_port}" if ":" in codec_host else f"{codec_host}:{codec_port}", "codec server"),
            (f"{storage.hostname}:{storage_port}" if storage.hostname else "", "payload storage"),
            *((extra, "protected endpoint") for extra in self.protected_endpoints),
        ):
            endpoint = endpoint_from_address(address, what)
            if endpoint is not None:
                found.append(endpoint)
        return found

    def uses_tls(self) -> bool:
        return self.tls or bool(self.tls_cert or self.tls_ca or self.api_key)
