"""``--json`` output: plain ``json`` on stdout, never styled or wrapped.

Apart from the tables (render.py), so that a command printing JSON does not import rich.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel

from orchestra.text import INVISIBLE_RANGES, escape

if TYPE_CHECKING:
    from orchestra.cli.context import Context


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


# What JSON leaves as it is but a terminal would act on (DEL and the C1 controls: \x9b is a CSI), or show
# as nothing or reordered (bidi overrides, zero-width and tag characters: orchestra/text.py). JSON escapes
# the others itself; outside its strings JSON has none of them.
_UNESCAPED = re.compile("[\x7f-\x9f" + "".join(f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE_RANGES) + "]")


def print_json(ctx: Context, value: Any) -> None:
    """``value`` as indented JSON on stdout: models by their fields, datetimes as ISO 8601 strings. Every
    character a terminal would act on is escaped (``\\u009b``), never dropped: a script reads the values
    as they are."""
    ctx.json_printed = True
    write_json(ctx.out, value)


def write_json(out: TextIO, value: Any) -> None:
    """``value`` as print_json prints it, on ``out``."""
    text = json.dumps(to_jsonable(value), indent=2, default=str, ensure_ascii=False)
    if _may_need_escapes(text):
        text = _UNESCAPED.sub(lambda found: escape(ord(found.group())), text)
    print(text, file=out, flush=True)


def _may_need_escapes(text: str) -> bool:
    """Whether ``text`` can hold a character _UNESCAPED matches. Of ASCII it matches DEL alone, so ASCII
    output (the common case) skips the regex scan, which costs tens of milliseconds a megabyte."""
    return not text.isascii() or "\x7f" in text
