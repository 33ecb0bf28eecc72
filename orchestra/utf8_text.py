"""A file's bytes as UTF-8 text, and where they stop being it, said one way for every file the project reads (a plan,
a tool file, a system prompt): the byte, its offset and its line and column, never Python's codec message ("'utf-8'
codec can't decode byte 0xe9 in position 23: invalid continuation byte"), which named no line."""

from __future__ import annotations


class NotUtf8Text(ValueError):
    """Bytes that are not UTF-8; its message says which byte and where."""


def where(data: bytes, offset: int) -> str:
    """``offset`` in ``data`` as a reader finds it: 'byte offset 23 (line 3, column 6)', columns counted in bytes."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"byte offset {offset} (line {line}, column {column})"


def utf8_text(data: bytes) -> str:
    """``data`` decoded; NotUtf8Text 'not UTF-8 text: byte 0xE9 at byte offset 23 (line 3, column 6) is not valid
    UTF-8' otherwise. A byte-order mark is kept: whether one is welcome is the reader's to say."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Text(
            f"not UTF-8 text: byte 0x{data[exc.start]:02X} at {where(data, exc.start)} is not valid UTF-8"
        ) from None
