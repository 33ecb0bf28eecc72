"""What every command gets: the settings (flags over environment) and a lazily connected client."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from orchestra.cli.errors import EXIT_NOT_FOUND, EXIT_UNREACHABLE, CliError
from orchestra.connect import connect
from orchestra.settings import Settings

# Global flag -> Settings field. Flags win over the environment (Settings.from_env).
FLAG_FIELDS = {
    "address": "address",
    "namespace": "namespace",
    "task_queue": "task_queue",
    "api_key": "api_key",
    "tls_cert": "tls_cert",
    "tls_key": "tls_key",
    "tls_ca": "tls_ca",
    "workspace": "workspace",
    "data_dir": "data_dir",
    "ui_port": "ui_port",
}


def settings_from_args(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    environ = dict(os.environ if env is None else env)
    overrides: dict[str, Any] = {name: getattr(args, flag, None) for flag, name in FLAG_FIELDS.items()}
    settings = Settings.from_env(environ, **overrides)
    data_dir_given = getattr(args, "data_dir", None) is not None
    if data_dir_given and getattr(args, "workspace", None) is None and not environ.get("ORCHESTRA_WORKSPACE"):
        settings = settings.model_copy(update={"workspace": settings.data_dir / "workspace"})
    extra = [str(Path(p).resolve()) for p in getattr(args, "registry", None) or []]
    if extra:
        settings = settings.model_copy(update={"registry_files": [*settings.registry_files, *extra]})
    return settings


def unreachable_hint(settings: Settings) -> str:
    return (
        f"cannot reach Temporal at {settings.address} — run `python client.py up` or set TEMPORAL_ADDRESS"
        " (or pass --address)"
    )


@dataclass
class Context:
    args: argparse.Namespace
    settings: Settings
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _client: Client | None = None

    async def client(self) -> Client:
        if self._client is None:
            try:
                self._client = await connect(self.settings)
            except (RuntimeError, OSError) as exc:
                raise CliError(unreachable_hint(self.settings), EXIT_UNREACHABLE) from exc
        return self._client

    def ui_url(self, workflow_id: str | None = None) -> str:
        base = f"http://localhost:{self.settings.ui_port}/namespaces/{self.settings.namespace}/workflows"
        return f"{base}/{workflow_id}" if workflow_id else base

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def note(self, text: str) -> None:
        print(text, file=self.err, flush=True)


def rpc_problem(exc: RPCError, settings: Settings, workflow_id: str | None = None) -> CliError:
    """Turn the RPC errors a user can cause into clear messages and exit codes."""
    if exc.status == RPCStatusCode.NOT_FOUND and workflow_id is not None:
        return CliError(
            f"no workflow with id {workflow_id!r} in namespace {settings.namespace!r} at {settings.address}",
            EXIT_NOT_FOUND,
        )
    if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
        return CliError(unreachable_hint(settings), EXIT_UNREACHABLE)
    return CliError(f"Temporal refused the request: {exc.message}")
