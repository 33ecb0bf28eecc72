"""What planning reads about a registry, kept on disk by content hash, so a CLI call does not redo it.

A `plan` call is a fresh process: without this, a 10,000-tool file would be parsed, checked and
indexed on every call. Entries live under ``$ORCHESTRA_DATA_DIR/cache/planning`` (``data/`` beside
the project by default), one file per kind and content hash, written atomically; a damaged or
foreign entry is ignored and rebuilt. An entry is read only if this process's user owns it and no one
else may write it (a regular file, not a link): the cache is this user's, whoever else can write to its
folder. ``ORCHESTRA_PLANNING_CACHE=0`` turns it off.

Values are plain data (dicts, lists, tuples, strings, numbers) stored with ``marshal``: loading one
runs no code, unlike pickle, and is several times faster than JSON. Each key includes the Python
version (marshal's format may change between versions) and a hash of the source of the code that
made the value (``code_version``): a change to how a file is checked or a registry indexed makes
the old entries unused, never wrong. At most ``MAX_ENTRIES`` files are kept, the oldest go first.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from orchestra import collector, environment

FORMAT = 1
MAX_ENTRIES = 64
_PACKAGE = Path(__file__).resolve().parents[1]
_PROJECT_ROOT = _PACKAGE.parent


@cache
def code_version(*modules: str) -> str:
    """A short hash of the source files (paths relative to the ``orchestra`` package) that make a value."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for module in modules:
        with contextlib.suppress(OSError):
            digest.update((_PACKAGE / module).read_bytes())
    return digest.hexdigest()[:12]


def enabled() -> bool:
    return environment.flag("ORCHESTRA_PLANNING_CACHE", True)


def folder() -> Path:
    try:
        base = environment.value("ORCHESTRA_DATA_DIR")
    except environment.SettingError:  # refused by name where the CLI and the worker start; no reason to fail here
        base = os.environ.get("ORCHESTRA_DATA_DIR")  # as before: a cache that cannot be written is no cache
    base = base or str(_PROJECT_ROOT / "data")
    return Path(base) / "cache" / "planning"


def path_for(kind: str, key: str, suffix: str = ".marshal") -> Path:
    version = f"py{sys.version_info.major}{sys.version_info.minor}-f{FORMAT}"
    return folder() / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:32]}-{version}{suffix}"


def load(kind: str, key: str) -> Any | None:
    """The value stored for (kind, key), or None (missing, damaged, or the cache is off)."""
    if not enabled():
        return None
    try:
        data = _read_own(path_for(kind, key))
        if data is None:
            return None
        with collector.paused():
            stored = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError, MemoryError):  # a length field may claim gigabytes
        return None
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != key:
        return None  # a hash prefix shared by another key, or a file of another shape
    return stored[1]


def _read_own(path: Path) -> bytes | None:
    """The entry's bytes if this process's user wrote it and no other can change it: a regular file, not
    a link, owned by this user and writable by it alone. What anyone else could have written is not read:
    an entry says which program a tool runs. ``O_NONBLOCK``: opening a FIFO for reading would wait for a
    writer, before any check could refuse it (for a regular file, the flag changes nothing)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as entry:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        return entry.read()


def store(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` (plain data only) for (kind, key); a failure to write is not an error."""
    if not enabled():
        return
    try:
        data = marshal.dumps((key, value))
    except ValueError:
        return  # not plain data (a YAML date, say): rebuilt every time instead
    write_bytes(path_for(kind, key), data)


def write_bytes(path: Path, data: bytes) -> None:
    """Write atomically (temporary file + rename): a reader never sees half a file."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        _prune(path.parent)


def _prune(where: Path) -> None:
    entries = [p for p in where.iterdir() if not p.name.startswith(".tmp-")]
    if len(entries) <= MAX_ENTRIES:
        return
    by_age = sorted(entries, key=lambda p: p.stat().st_mtime)
    for old in by_age[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            old.unlink()
