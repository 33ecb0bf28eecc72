"""Log lines in the CLI's process (structlog's and the standard library's: an MCP server unavailable, the SDK core's
retries) go to standard error masked, as every line the CLI says is. Unconfigured, structlog printed its lines on
standard output (a line before --json's object) in clear, secret settings and key-shaped words alike, and the
standard library's were written as they were. structlog is configured when it is first imported: importing it (and
the log's processors) for every command cost the commands that never log ~0.3 s of CPU (bench/cli_startup.py)."""

from __future__ import annotations

import importlib.abc
import importlib.util
import logging
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

HANDLER = "orchestra"  # the name orchestra/telemetry/logging.py gives its handler: configured, it replaces this one
STRUCTLOG = "structlog"
# The module that configures structlog imports it: when it is what imports structlog first, structlog is configured
# once that module has run (configuring it as soon as structlog had run found that module half-imported: an
# ImportError, a traceback for `watch` of a run no worker serves, whose history is replayed here).
CONFIGURER = "orchestra.telemetry.logging"


class OwnFormat(logging.Formatter):
    """A standard library line in the format of the CLI's own (errors.stderr_line), masked: JSON lines when the log is."""

    def format(self, record: logging.LogRecord) -> str:
        from orchestra.telemetry.own_lines import formatted, json_lines, masked

        if not json_lines(unset="console"):
            return masked(super().format(record))
        return formatted(record.getMessage(), logger=record.name, level=record.levelname.lower(), unset="console")


def to_stderr() -> None:
    """The standard library's lines of warning and above on standard error, masked (once a process)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OwnFormat("%(levelname)s %(name)s: %(message)s"))
    handler.set_name(HANDLER)
    logging.basicConfig(level=logging.WARNING, handlers=[handler])  # nothing when the root has a handler already


def route_log_lines() -> None:
    """Every log line of this process on standard error, masked: the standard library's now, structlog's (through
    the standard library, orchestra/telemetry/logging.py) as soon as something imports it."""
    to_stderr()
    if STRUCTLOG in sys.modules:
        _configure_structlog()
    elif not any(isinstance(finder, _AfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport((STRUCTLOG, CONFIGURER), _configure_structlog))


def _configure_structlog() -> None:
    from orchestra import environment
    from orchestra.telemetry.logging import configure_logging
    from orchestra.telemetry.own_lines import json_lines, remember_pending

    remember_pending()  # the redaction processor masks what the redaction knows, not what waits in own_lines
    try:
        level = environment.value("ORCHESTRA_LOG_LEVEL") or "warning"
    except environment.SettingError:  # said by the settings' check already
        level = "warning"
    configure_logging("json" if json_lines(unset="console") else "console", level, sys.stderr)


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs ``then`` once the first of ``names`` imported has been (its module executed), whoever imports it; then
    leaves."""

    def __init__(self, names: tuple[str, ...], then: Callable[[], None]) -> None:
        self.names, self.then = names, then

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and isinstance(spec.loader, importlib.abc.Loader):
            spec.loader = _Then(spec.loader, self.then)
        return spec


class _Then(importlib.abc.Loader):
    """``loader``, running ``then`` after it has executed its module."""

    def __init__(self, loader: importlib.abc.Loader, then: Callable[[], None]) -> None:
        self.loader, self.then = loader, then

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        self.then()

    def __getattr__(self, name: str) -> Any:  # the rest of the loader's own (get_resource_reader, is_package...)
        return getattr(self.loader, name)
