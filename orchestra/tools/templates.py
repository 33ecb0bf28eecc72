"""The ``{{ a.b.0 }}`` template language of ``render_template`` and of tools described in YAML/JSON files.

It only walks dict keys and list indexes, unlike ``str.format``, which can reach arbitrary attributes
of the objects it is given. Templates are scanned once, left to right (an unclosed ``{{`` ends the
scan: no later ``}}`` can close anything), so the cost is linear in the template whatever it holds;
the output is capped while it is built, not after.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.-?[A-Za-z0-9_]+)*")
OPEN, CLOSE = "{{", "}}"


class TemplateError(ValueError):
    """A placeholder that is malformed or names a value that is not there, or an output over its cap."""


@dataclass(frozen=True)
class Placeholder:
    path: str
    source: str  # as written, for messages


Piece = str | Placeholder


def parse(template: str) -> list[Piece]:
    """Literal text and placeholders, in order; a malformed placeholder raises."""
    pieces: list[Piece] = []
    position = 0
    while (start := template.find(OPEN, position)) != -1:
        end = template.find(CLOSE, start + len(OPEN))
        if end == -1:
            break  # no "}}" after this "{{", so none after any later one either
        inner = template[start + len(OPEN) : end].strip()
        source = template[start : end + len(CLOSE)]
        if not PATH.fullmatch(inner):
            shown = source if len(source) <= 80 else source[:77] + "..."
            raise TemplateError(f"malformed placeholder {shown!r}: expected a dotted name like {{{{ a.b.0 }}}}")
        if start > position:
            pieces.append(template[position:start])
        pieces.append(Placeholder(inner, source))
        position = end + len(CLOSE)
    if position < len(template):
        pieces.append(template[position:])
    return pieces


def placeholder_paths(template: str) -> list[str]:
    """The dotted paths of every placeholder in ``template``, in order; malformed ones raise."""
    return [piece.path for piece in parse(template) if isinstance(piece, Placeholder)]


def whole_placeholder(template: str) -> str | None:
    """The path if ``template`` is exactly one placeholder (so the value can keep its JSON type)."""
    try:
        pieces = parse(template.strip())
    except TemplateError:
        return None
    return pieces[0].path if len(pieces) == 1 and isinstance(pieces[0], Placeholder) else None


def _is_index(segment: str, length: int) -> bool:
    return re.fullmatch(r"-?\d+", segment) is not None and -length <= int(segment) < length


def lookup(values: Any, path: str) -> Any:
    current = values
    for segment in path.split("."):
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and _is_index(segment, len(current)):
            current = current[int(segment)]
        else:
            raise TemplateError(f"no value for placeholder {path!r} (missing {segment!r})")
    return current


def to_text(value: Any) -> str:
    """Strings as they are; everything else (numbers, lists, dicts, null) as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Rendered:
    text: str
    spans: tuple[tuple[int, int], ...]  # where placeholders' values landed in ``text``


def render_spans(
    template: str, values: Any, convert: Callable[[Any], str] = to_text, *, max_chars: int | None = None
) -> Rendered:
    """Fill every placeholder; say where each value landed (to check what a value may produce)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    size = 0
    converted: dict[str, str] = {}  # a path used many times is converted once
    for piece in parse(template):
        if isinstance(piece, Placeholder):
            if piece.path not in converted:
                converted[piece.path] = convert(lookup(values, piece.path))
            text = converted[piece.path]
            spans.append((size, size + len(text)))
        else:
            text = piece
        size += len(text)
        if max_chars is not None and size > max_chars:
            raise TemplateError(f"the rendered text would be longer than {max_chars} characters")
        parts.append(text)
    return Rendered("".join(parts), tuple(spans))


def render(template: str, values: Any, convert: Callable[[Any], str] = to_text, *, max_chars: int | None = None) -> str:
    return render_spans(template, values, convert, max_chars=max_chars).text
