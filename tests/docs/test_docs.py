"""Every command shown in README.md and docs/*.md runs, against the embedded stack, as a reader would
type it: the docs cannot drift from the product (markers: tests/docs/markdown.py, docs/writing-docs.md).

The stack is the one `client.py up` starts — a Temporal dev server with its Web UI and a `worker.py`
process — on ports and a data dir of this test's own. Each block runs in a scratch directory per
document with the project's top-level files linked in, so files a block writes stay there; the
stack's default ports in a block's text (7233, 8233) become the test stack's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env
from tests.docs.markdown import Block, blocks, documents, unmarked_commands
from tests.reserved_ports import ephemeral_range, reserved, reserved_ports

ALL = [block for path in documents(PROJECT_ROOT) for block in blocks(path)]
RUNNABLE = [block for block in ALL if block.runnable]
VENV_BIN = Path(sys.executable).parent


@dataclass
class Stack:
    env: dict[str, str]
    frontend_port: int
    ui_port: int
    site_port: int  # the demo site's: never its fixed default 8234, which a suite in another worktree may hold
    # Whether the last block run may have left the stack stopped: it ran `down`, or it did not end as the docs say.
    maybe_down: bool = False

    def up(self) -> None:
        done = subprocess.run([sys.executable, "client.py", "up"], cwd=PROJECT_ROOT, env=self.env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, f"`up` failed:\n{done.stdout}\n{done.stderr}"

    def down(self) -> None:
        subprocess.run([sys.executable, "client.py", "down"], cwd=PROJECT_ROOT, env=self.env, capture_output=True,
                       timeout=120)  # fmt: skip


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data = tmp_path_factory.mktemp("docs-stack")
    # Reserved while the stack lives, which blocks stop and start again: a port picked free and released was taken by
    # another Temporal dev server's internal service before the demo site bound it (tests/reserved_ports.py).
    with reserved_ports(3) as (frontend, ui, site):
        env = clean_env(
            TEMPORAL_ADDRESS=f"127.0.0.1:{frontend}",
            ORCHESTRA_UI_PORT=str(ui),
            ORCHESTRA_DEMO_SITE_PORT=str(site),
            ORCHESTRA_DATA_DIR=str(data),
            ORCHESTRA_TASK_QUEUE=f"docs-{uuid.uuid4()}",
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # `python` is the project's
        )
        running = Stack(env, frontend, ui, site)
        running.up()
        try:
            yield running
        finally:
            running.down()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, stack: Stack) -> Iterator[dict[Path, Path]]:
    """One directory per document: the project's top-level entries linked in, its save= blocks written;
    the examples' own, with the demo site on the test stack's port."""
    made: dict[Path, Path] = {}
    for path in documents(PROJECT_ROOT):
        directory = tmp_path_factory.mktemp(path.stem)
        for entry in PROJECT_ROOT.iterdir():
            if entry.name == "examples":
                examples_on_test_ports(entry, directory / entry.name, stack)
            elif not entry.name.startswith(".") or entry.name == ".venv":
                (directory / entry.name).symlink_to(entry)
        for block in blocks(path):
            if block.save:
                (directory / block.save).write_text(block.text)
        made[path] = directory
    yield made


def examples_on_test_ports(examples: Path, into: Path, stack: Stack) -> None:
    """``examples`` linked in entry by entry, but for its plans, written with the stack's ports."""
    into.mkdir()
    for entry in examples.iterdir():
        if entry.suffix == ".yaml":
            (into / entry.name).write_text(on_test_ports(entry.read_text(), stack))
        else:
            (into / entry.name).symlink_to(entry)


def on_test_ports(text: str, stack: Stack) -> str:
    text = re.sub(r"\b(localhost|127\.0\.0\.1):7233\b", f"127.0.0.1:{stack.frontend_port}", text)
    text = re.sub(r"\b(localhost|127\.0\.0\.1):8234\b", f"127.0.0.1:{stack.site_port}", text)
    return re.sub(r"\b(localhost|127\.0\.0\.1):8233\b", f"127.0.0.1:{stack.ui_port}", text)


# The commands that start and stop the stack. A block whose last is `down` stops it: the next block starts it again,
# unless that block starts it itself, as its reader does: the README's MCP block runs `down && up --registry ...`,
# and the harness's `up` before it was a whole stack started to be stopped at once.
STACK_COMMAND = re.compile(r"\bclient\.py (up|down)\b")


def run_block(block: Block, stack: Stack, scratch: dict[Path, Path]) -> None:
    """The block run on the stack; ``up`` first only if the block before may have stopped it and this one does not
    start it: on a running stack `up` only says so, but it is a `client.py` start, one a block (a dozen in the docs'
    two scopes)."""
    if block.skip:
        pytest.skip(f"{block.where(PROJECT_ROOT)}: {block.skip}")
    commands = STACK_COMMAND.findall(block.text)
    if stack.maybe_down and "up" not in commands:
        stack.up()
    stack.maybe_down = True  # until the block is seen to end as the docs say
    script = "set -eo pipefail\n" + on_test_ports(block.text, stack)
    done = subprocess.run(
        ["bash", "-c", script], cwd=scratch[block.path], env={**stack.env, **block.env}, capture_output=True,
        text=True, timeout=block.timeout,
    )  # fmt: skip
    assert done.returncode == block.exit, (
        f"{block.where(PROJECT_ROOT)} exited {done.returncode}, the docs say {block.exit}\n"
        f"--- script\n{script}\n--- stdout (end)\n{done.stdout[-4000:]}\n--- stderr (end)\n{done.stderr[-4000:]}"
    )
    # A block that ends with `up` leaves the stack up, but one that exits as the docs say with an error may have
    # stopped before it.
    stack.maybe_down = "down" in commands and (commands[-1] == "down" or block.exit != 0)


# Two classes, so that the suite's processes (--dist loadscope: a class is a scope of its own) can run the
# README's blocks and the other documents' at once, each on a stack of its own: in one module they took
# one process 12 minutes under load, the longest share of the whole suite, and set its floor.
README = PROJECT_ROOT / "README.md"
README_BLOCKS = [block for block in RUNNABLE if block.path == README]
OTHER_BLOCKS = [block for block in RUNNABLE if block.path != README]


class TestTheReadme:
    @pytest.mark.parametrize("block", README_BLOCKS, ids=[b.where(PROJECT_ROOT) for b in README_BLOCKS])
    def test_the_documented_commands_run(self, block: Block, stack: Stack, scratch: dict[Path, Path]) -> None:
        run_block(block, stack, scratch)


class TestTheOtherDocs:
    @pytest.mark.parametrize("block", OTHER_BLOCKS, ids=[b.where(PROJECT_ROOT) for b in OTHER_BLOCKS])
    def test_the_documented_commands_run(self, block: Block, stack: Stack, scratch: dict[Path, Path]) -> None:
        run_block(block, stack, scratch)

    def test_the_docs_run_on_ports_of_their_own(self, stack: Stack, scratch: dict[Path, Path]) -> None:
        """The demo site was served on its fixed port 8234: four suites at once, in other worktrees, met there."""
        assert stack.env["ORCHESTRA_DEMO_SITE_PORT"] == str(stack.site_port) != "8234"
        # ... nor one the kernel hands to a Temporal dev server's internal service, and none another test reserves.
        ports = [stack.frontend_port, stack.ui_port, stack.site_port]
        assert not [port for port in ports if port in ephemeral_range()], ports
        assert all(reserved(port) for port in ports), ports
        assert not [b.where(PROJECT_ROOT) for b in RUNNABLE if ":8234" in on_test_ports(b.text, stack)]
        for directory in scratch.values():
            assert ":8234" not in (directory / "examples" / "site_report.yaml").read_text()
            assert (directory / "examples" / "site").resolve() == PROJECT_ROOT / "examples" / "site"


def test_no_command_escapes_the_docs_test() -> None:
    unmarked = [b.where(PROJECT_ROOT) for b in ALL if unmarked_commands(b)]
    assert not unmarked, f"blocks showing client.py commands without a shell language (mark them sh): {unmarked}"
    assert RUNNABLE, "no shell block found"
