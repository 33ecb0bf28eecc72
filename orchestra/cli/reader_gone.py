"""Standard output whose reader may go away (`client.py start ... | head -c0`).

Writing to a pipe nobody reads raised BrokenPipeError in the middle of the command: `start` had started
its run and exited 1 ("could not take effect"), `validate --json` of an invalid plan exited 1 instead of 2.
What the command did does not depend on whether its output was read: past the reader's going, what it
writes is dropped and it ends with its own exit code.
"""

from __future__ import annotations

import io
from typing import TextIO


class ReaderGoneTolerant(io.TextIOBase):
    """``stream``, dropping what is written once its reader has gone (EPIPE) instead of raising."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self.gone = True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    def writable(self) -> bool:
        return True
