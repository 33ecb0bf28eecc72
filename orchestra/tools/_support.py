"""Small helpers shared by the built-in tools (heartbeats, timeouts, output caps)."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from orchestra.tool_spec import ToolContext

if TYPE_CHECKING:
    from orchestra.confinement import Confinement

HEARTBEAT_INTERVAL_S = 1.0
# Text encodings a tool decodes and encodes, all in linear time: the Unicode ones, the legacy ones web
# pages are written in (the WHATWG Encoding Standard's) and the other character sets of Python's own
# (DOS and EBCDIC code pages, Mac and ISO tables, the CJK ones), which files are still written in. Not
# every codec Python has: punycode and idna are quadratic (a 160 KB body took 7 s, on the worker's event
# loop, which every other step shares); rot13, hex or zlib are no text encodings at all; unicode_escape,
# raw_unicode_escape and utf-7 read escapes as characters (UTF-7 is a known way around filters).
TEXT_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "ascii",
        *(f"iso8859-{n}" for n in (*range(1, 12), *range(13, 17))), *(f"cp125{n}" for n in range(9)),
        "cp437", "cp850", "cp866", "cp874", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
        "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "shift_jis", "cp932", "iso2022_jp",
        "euc_kr", "cp949", "cp950",
        "cp037", *(f"cp{n}" for n in (273, 424, 500, 720, 737, 775, 852, 855, 856, 857, 858, 860, 861, 862, 863,
                                      864, 865, 869, 875, 1006, 1026, 1125, 1140)),
        "hp-roman8", "koi8-t", "kz1048", "ptcp154", "tis-620", "palmos",
        *(f"mac-{n}" for n in ("arabic", "croatian", "farsi", "greek", "iceland", "latin2", "romanian", "turkish")),
        "euc_jis_2004", "euc_jisx0213", "shift_jis_2004", "shift_jisx0213", "hz", "johab", "iso2022_kr",
        *(f"iso2022_jp_{n}" for n in ("1", "2", "2004", "3", "ext")),
    )
)  # fmt: skip


def text_encoding(name: str) -> str | None:
    """Python's name for the text encoding ``name`` (any of its aliases), if it is one of TEXT_ENCODINGS."""
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError):  # no such codec; a name with a NUL or half a surrogate pair
        return None
    return canonical if canonical in TEXT_ENCODINGS else None


def encoding_problem(name: str) -> str | None:
    if text_encoding(name) is None:
        return f"encoding {name!r} is not one of the text encodings read and written here (utf-8, latin-1, cp1252, …)"
    return None


@contextlib.asynccontextmanager
async def heartbeating(ctx: ToolContext, interval_s: float = HEARTBEAT_INTERVAL_S) -> AsyncIterator[None]:
    """Heartbeat in the background while the body awaits something that gives no progress of its own.

    A request waiting for headers or a process that prints nothing would otherwise look dead to
    Temporal's heartbeat timeout.
    """

    async def beat() -> None:
        while True:
            ctx.heartbeat()
            await asyncio.sleep(interval_s)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def clamp_timeout(timeout_s: float, confinement: Confinement) -> float:
    return min(timeout_s, confinement.max_timeout_s)


def decode(data: bytes, encoding: str = "utf-8") -> str:
    # A cap can cut a multi-byte character in half; replacing it beats failing the whole call.
    return data.decode(encoding, errors="replace")
