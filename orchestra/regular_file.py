"""Up to a bound of a file the user named, read only if it is a regular file.

Opened without blocking, then refused unless regular: a FIFO nobody writes to blocked the open (and a read) for ever,
a device or a socket has no end. Every file option reads its file here (`--plan`, `--system-prompt`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotARegularFile(Exception):
    """The path names something other than a regular file: ``kind`` says what ("a named pipe", "a directory")."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path}: not a regular file ({kind})")
        self.kind = kind


def read_regular_at_most(path: Path, limit: int) -> bytes:
    """Up to ``limit`` bytes of the regular file at ``path``, in chunks (``read(limit)`` would reserve the whole limit
    up front). NotARegularFile when it is not one; OSError when it cannot be opened or read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        kind = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(kind):
            raise NotARegularFile(path, file_kind(kind))
        os.set_blocking(descriptor, True)
        file = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with file:
        return read_chunks(file, limit)


def read_chunks(file: BinaryIO, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := file.read(min(1 << 20, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def file_kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")
