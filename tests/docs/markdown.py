"""The shell blocks of README.md and docs/*.md, and what each needs to run (docs/writing-docs.md).

Every fenced block whose language is ``sh``, ``bash``, ``shell`` or ``console`` is a script the docs
test runs, whole, with bash (``set -eo pipefail``), in a scratch directory that has the project's
top-level files linked in, against the embedded stack. An HTML comment on the line before the fence
(blank lines between are allowed) says what the block needs::

    <!-- docs-test: skip="needs Docker" -->        not run; the reason is reported
    <!-- docs-test: exit=2 -->                     the exit code the block ends with (default 0)
    <!-- docs-test: timeout=600 -->                seconds the block may take (default 300)
    <!-- docs-test: env=NAME=VALUE -->             an environment variable (repeatable)
    <!-- docs-test: save=plan.yaml -->            (on any block) write its text to that file in the
                                                   scratch directory before the doc's blocks run

Options combine in one comment: ``<!-- docs-test: exit=1 env=NO_COLOR=1 -->``. A block without a
language that shows a ``client.py`` command is an error: mark it ``sh`` (and ``skip`` it if it cannot
run), so no command shown escapes the test.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
MARKER = re.compile(r"^\s*<!--\s*docs-test:(?P<options>.*?)-->\s*$")
KNOWN = {"skip", "exit", "timeout", "env", "save"}
COMMAND = re.compile(r"^\s*(\$ )?(\.venv/bin/)?python3? client\.py\b", re.MULTILINE)


class MarkerError(ValueError):
    pass


@dataclass
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    skip: str | None = None
    exit: int = 0
    timeout: float = 300.0
    env: dict[str, str] = field(default_factory=dict)
    save: str | None = None

    @property
    def runnable(self) -> bool:
        return self.language in SHELL_LANGUAGES

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line}"


def _apply(block: Block, options: str, where: str) -> None:
    try:
        words = shlex.split(options)
    except ValueError as exc:
        raise MarkerError(f"{where}: unreadable docs-test marker: {exc}") from None
    for word in words:
        key, sep, value = word.partition("=")
        if key not in KNOWN or not sep:
            raise MarkerError(f"{where}: unknown docs-test option {word!r} (known: {', '.join(sorted(KNOWN))}=...)")
        if key == "skip":
            block.skip = value or "marked skip"
        elif key == "exit":
            block.exit = int(value)
        elif key == "timeout":
            block.timeout = float(value)
        elif key == "env":
            name, _, env_value = value.partition("=")
            block.env[name] = env_value
        else:
            block.save = value


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of one Markdown file, with the options of the marker before each."""
    found: list[Block] = []
    lines = path.read_text().splitlines()
    pending: tuple[str, int] | None = None  # a marker's options and its line, waiting for its block
    index = 0
    while index < len(lines):
        line = lines[index]
        marker = MARKER.match(line)
        opening = FENCE.match(line)
        if marker:
            pending = (marker.group("options"), index + 1)
        elif opening:
            fence = opening.group("fence")
            start = index + 1
            body: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence):
                body.append(lines[index])
                index += 1
            language = opening.group("info").strip().split(" ")[0].lower()
            block = Block(path, start, language, "\n".join(body) + "\n")
            if pending is not None:
                _apply(block, pending[0], f"{path}:{pending[1]}")
                pending = None
            found.append(block)
        elif line.strip() and pending is not None:
            raise MarkerError(f"{path}:{pending[1]}: a docs-test marker must come right before a fenced block")
        index += 1
    return found


def unmarked_commands(block: Block) -> bool:
    """A block without a language that shows a client.py command (it would escape the test)."""
    return not block.language and bool(COMMAND.search(block.text))


def documents(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]
