"""Reading a plan file with every bound checked before the document is built.

A plan file is UTF-8 text (a UTF-8 byte-order mark is allowed), JSON when it is named ``*.json`` and
YAML otherwise. What is refused, with the file and the byte offset named:
- more bytes than a run can carry (read up to the limit, never the whole of an endless file);
- another encoding (UTF-16/32 by its byte-order mark, latin-1 and the like by the first byte that is
  not UTF-8) and binary data (a NUL or another control character);
- collections nested deeper than MAX_DEPTH;
- YAML aliases that would expand the document past MAX_VALUES values, or past as many characters of text
  as the file may have bytes (a plan travels as one value, at least a byte a character). The YAML is
  walked as a stream of parser events first, counting what each anchor stands for, so an alias bomb is
  refused after reading its few hundred bytes, or one long anchored text after its parse: the expanded
  tree is never built.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestra.documents import (
    MAX_DEPTH,
    MAX_VALUES,
    DuplicateKey,
    TooLarge,
    check_expansion,
    core_dumper,
    load_yaml,
    long_number,
    too_many_digits,
    unique_keys,
)
from orchestra.errors import PlanValidationError
from orchestra.regular_file import NotARegularFile, read_chunks, read_regular_at_most
from orchestra.utf8_text import NotUtf8Text, utf8_text, where

if TYPE_CHECKING:  # imported when a YAML document is read: `plan` and JSON plans never need it
    pass

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def dump_yaml(document: Any) -> str:
    """``document`` as YAML that ``read_plan_document`` reads back as it is."""
    import yaml

    return yaml.dump(document, Dumper=core_dumper(), sort_keys=False, allow_unicode=True, width=110)


@dataclass(frozen=True)
class _Source:
    name: str  # the file's path, or STDIN_NAME
    data: bytes  # the file's bytes, for offsets and line numbers

    def where(self, offset: int) -> str:
        return where(self.data, offset)

    def at(self, text: str, char_index: int) -> str:
        """``where`` for a position in the decoded text (which has no byte-order mark)."""
        bom = 3 if self.data.startswith(b"\xef\xbb\xbf") else 0
        return self.where(bom + len(text[:char_index].encode()))

    def fail(self, message: str) -> PlanValidationError:
        return PlanValidationError([f"{self.name}: {message}"])


STDIN = "-"  # the plan file that is standard input: `cat plan.yaml | client.py run --plan -`
STDIN_NAME = "standard input"


def read_plan_document(path: Path, max_bytes: int, limit_name: str) -> Any:
    """The parsed document of the plan file at ``path`` (``-``: standard input, read as YAML, which JSON is too);
    PlanValidationError naming what is wrong."""
    from_stdin = str(path) == STDIN
    try:
        data = _read_stdin(max_bytes + 1) if from_stdin else _read_at_most(path, max_bytes + 1)
    except OSError as exc:
        what = "the plan from standard input" if from_stdin else f"plan file {path}"
        raise PlanValidationError([f"cannot read {what}: {exc.strerror or exc}"]) from None
    source = _Source(source_name(path), data)
    if len(data) > max_bytes:
        what = "the plan given" if from_stdin else "the file"
        raise source.fail(f"{what} is larger than {max_bytes:,} bytes, {limit_name}: a plan travels as one value")
    text = _decode(source)
    if not from_stdin and path.suffix.lower() == ".json":
        return _load_json(source, text)
    return _load_yaml(source, text, max_bytes, limit_name)


def source_name(path: Path | str) -> str:
    """The plan file as messages name it: its path, or STDIN_NAME."""
    return STDIN_NAME if str(path) == STDIN else str(path)


_PIPED = "`cat plan.yaml | python client.py run --plan -`"


def _read_stdin(limit: int) -> bytes:
    """Up to ``limit`` bytes of standard input, whatever it is (a pipe, a file, a here-document), read as the file's
    are; refused when it is a terminal, where the command would wait, silent, for a plan typed by hand."""
    # Python leaves sys.stdin None when it starts with descriptor 0 closed (`<&-`), whose number a file it opens
    # may take later: only sys.stdin tells.
    descriptor = sys.stdin.fileno() if sys.stdin is not None else -1
    if descriptor < 0:
        raise PlanValidationError(
            [f"{STDIN_NAME} is closed, so there is no plan to read: pipe the plan in ({_PIPED}) or give its file"]
        )
    if os.isatty(descriptor):
        raise PlanValidationError(
            [f"{STDIN_NAME} is a terminal, not a plan: pipe the plan in ({_PIPED}) or give its file"]
        )
    with os.fdopen(os.dup(descriptor), "rb") as file:  # a copy: closing it leaves the process's stdin open
        return read_chunks(file, limit)


def _read_at_most(path: Path, limit: int) -> bytes:
    """Up to ``limit`` bytes of the plan file, a regular file (regular_file)."""
    try:
        return read_regular_at_most(path, limit)
    except NotARegularFile as exc:
        raise PlanValidationError(
            [f"{exc}; give a plan file, or `--plan -` to read one piped to standard input"]
        ) from None


def _decode(source: _Source) -> str:
    data = source.data
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise source.fail(f"the file is {name} text (byte-order mark at byte offset 0); save the plan as UTF-8")
    nul = data.find(b"\x00")
    if nul != -1:
        raise source.fail(f"binary data, not a text plan: a NUL byte at {source.where(nul)}")
    try:
        text = utf8_text(data)
    except NotUtf8Text as exc:
        raise source.fail(f"{exc}; a plan file must be UTF-8 (convert it, e.g. `iconv -f latin1 -t utf-8`)") from None
    control = _CONTROL.search(data)
    if control:
        what = f"control character 0x{control.group()[0]:02X}"
        raise source.fail(f"binary data, not a text plan: {what} at {source.where(control.start())}")
    return text.removeprefix("\ufeff")


def _load_json(source: _Source, text: str) -> Any:
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        mark = token.group()
        if mark in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise source.fail(f"nesting deeper than {MAX_DEPTH} levels at {source.at(text, token.start())}")
        elif mark in ("]", "}"):
            depth -= 1
    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except DuplicateKey as exc:
        raise source.fail(f"not valid JSON: {exc}") from None
    except json.JSONDecodeError as exc:
        raise source.fail(f"not valid JSON at {source.at(text, exc.pos)}: {exc.msg}") from None
    except ValueError:  # an integer of more digits than Python reads; the parser does not say where
        where = f" at {source.at(text, found.start())}" if (found := long_number(text)) else ""
        raise source.fail(f"{too_many_digits(text)}{where}; quote it to give it as text") from None


def _load_yaml(source: _Source, text: str, max_bytes: int, limit_name: str) -> Any:
    import yaml

    try:
        with _no_cycle_collection():
            _check_yaml_events(source, text, max_bytes, limit_name)
            return load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at {source.at(text, mark.index)}" if mark is not None else ""
        problem = exc.problem or exc.context or "unreadable"
        if "nesting depth" in problem:  # libyaml's own bound, met while it reads ahead of the events
            raise source.fail(f"nesting deeper than {MAX_DEPTH} levels{where}") from None
        raise source.fail(f"not valid YAML{where}: {problem}") from None
    except yaml.YAMLError as exc:
        raise source.fail(f"not valid YAML: {exc}") from None


def _check_yaml_events(source: _Source, text: str, max_bytes: int, limit_name: str) -> None:
    """The document's bounds, aliases expanded: its text may be no longer than the file could be, since
    the plan travels as one value, every character of it at least a byte."""
    try:
        check_expansion(text, MAX_VALUES, MAX_DEPTH, max_chars=max_bytes)
    except TooLarge as exc:
        limit = f", {limit_name}: a plan travels as one value" if "characters" in str(exc) else ""
        raise source.fail(f"{exc} at {source.at(text, exc.index)}{limit}") from None


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a YAML document is read: its parser's events and nodes, hundreds of
    thousands of objects for a large plan and none of them a cycle to collect, each set off collections that walked
    all those made before (half of reading 60,000 steps: 7.7 s of CPU, 4.2 s without; bench/plan_read_cost.py).
    What the read may make is bounded by the file's size limit. Resumed after, unless it was paused before."""
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()
