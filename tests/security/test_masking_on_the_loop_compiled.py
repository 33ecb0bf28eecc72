"""What masks on the worker's event loop masks with patterns compiled already, in a thread: a tool quoting part of a
text it cut (``ToolContext.quote_start``/``quote_end``, by the call's masker and the worker's secret settings'), and
the MCP hub installing a listing the registry refuses. A setting's pattern compiled at its first find, on the loop,
took 0.2 to 0.6 s of CPU a key, every activity's heartbeat held meanwhile. The settings' own compiling thread is held
here before it reaches the key: what the loop masks must not count on it having run."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.testing import ActivityEnvironment

from activities.tools import ToolActivities
from orchestra import secrets
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.mcp.config import McpServerDecl
from orchestra.mcp.hub import McpHub
from orchestra.registry import ToolRegistry, default_registry
from orchestra.telemetry import redaction
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.mcp.support import tool_file
from tests.mcp.test_hostile import hostile

SETTINGS_THREAD = "settings-masker-compile"
# Far past any wait here: the held thread is let go when the test ends, or when another thread asks for the pattern.
HELD_AT_MOST_S = 300


class Compiles:
    """The threads ``key``'s pattern was compiled in; the settings' own compiling thread held before compiling it
    until another thread asks for that pattern (``waiters``). The pattern is compiled once a process, the others asking
    waiting for it (``secrets._CompiledOnce``): a thread that asked while the settings' thread held it waited out the
    whole hold (the refused listing's, 300 s), then passed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
        self.threads: list[int] = []
        self.waiters: list[int] = []
        self.released = threading.Event()
        real = secrets.secret_pattern
        compiled = secrets._compiled

        def spy(secret: str) -> str:
            if secret == key:
                if threading.current_thread().name == SETTINGS_THREAD:
                    self.released.wait(HELD_AT_MOST_S)
                self.threads.append(threading.get_ident())
            return real(secret)

        def asked(secret: str) -> re.Pattern[str]:
            if secret == key and threading.current_thread().name != SETTINGS_THREAD and not self.released.is_set():
                self.waiters.append(threading.get_ident())
                self.released.set()
            return compiled(secret)

        monkeypatch.setattr(secrets, "secret_pattern", spy)
        monkeypatch.setattr(secrets, "_compiled", _Asked(asked, compiled))
        secrets._masker_of.cache_clear()
        secrets._compiled.cache_clear()


class _Asked:
    """``secrets._compiled`` seen through ``ask``: its cache cleared as the real one's."""

    def __init__(self, ask: Callable[[str], re.Pattern[str]], real: Any) -> None:
        self._ask = ask
        self.cache_clear = real.cache_clear

    def __call__(self, secret: str) -> re.Pattern[str]:
        return self._ask(secret)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = uuid.uuid4().hex
    monkeypatch.setenv("ORCHESTRA_SECRET_LOOP_SETTING", key)
    return key


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch, key: str) -> Iterator[Compiles]:
    watched = Compiles(monkeypatch, key)
    try:
        yield watched
    finally:
        watched.released.set()


class KeyInput(BaseModel):
    key: str = ""


def _quoting(loop_threads: list[int], setting: str) -> Tool:
    async def run(args: KeyInput, ctx: ToolContext) -> dict[str, str]:
        loop_threads.append(threading.get_ident())
        said = args.key or setting
        text = f"{said} was refused; " + "x" * 10_000 + f" after {said}"
        return {"start": ctx.quote_start(text, 100), "end": ctx.quote_end(text, 100)}

    spec = ToolSpec(name="quoting", description="Quote.", input_model=KeyInput, secret_args=["key"])
    return Tool(spec=spec, run=run)


async def _mine(args: KeyInput, ctx: ToolContext) -> dict[str, str]:
    return {}


@pytest.mark.parametrize("whose", ["the worker's setting", "the call's secret"])
async def test_a_tool_quoting_a_cut_text_masks_it_with_patterns_compiled_off_the_loop(
    whose: str, tmp_path: Path, key: str, compiles: Compiles
) -> None:
    loop_threads: list[int] = []
    registry = default_registry()
    registry.register(_quoting(loop_threads, key))
    args = {"key": "${secrets.LOOP_SETTING}"} if whose == "the call's secret" else {}
    call = ToolCall(tool="quoting", node_id="n", args=args, allow_secrets=bool(args))
    activities = ToolActivities(registry, Confinement(workspace=tmp_path))
    output = await ActivityEnvironment().run(activities.run_tool, call)
    assert key not in str(output) and "***" in str(output)
    assert compiles.threads and loop_threads[0] not in compiles.threads, (loop_threads, compiles.threads)


async def test_a_refused_mcp_listing_is_masked_with_patterns_compiled_off_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles
) -> None:
    """The registry refuses a server's tool named as one it has: its refusal quotes the server's name, here the
    worker's secret setting (what a name may hold is the tool file's to choose)."""
    name = "k" + uuid.uuid4().hex
    monkeypatch.setenv("ORCHESTRA_SECRET_LOOP_SETTING", name)
    watched = Compiles(monkeypatch, name)
    tool_file(tmp_path)  # the MCP test servers are installed
    decl = McpServerDecl.model_validate(hostile("many", 1, name=name))
    hub = McpHub([decl], Confinement(workspace=tmp_path))
    registry = ToolRegistry()
    registry.register(Tool(spec=ToolSpec(name=f"{name}.t0", description="Mine.", input_model=KeyInput), run=_mine))
    loop_thread = threading.get_ident()
    try:
        await hub.refresh(registry)
    finally:
        watched.released.set()
        await hub.aclose()
    assert "already registered" in " | ".join(registry.server_problems.get(name, []))
    assert watched.threads and loop_thread not in watched.threads, (loop_thread, watched.threads)
    # Waiting on the loop for the settings' thread holds every heartbeat as compiling there does.
    assert loop_thread not in watched.waiters, (loop_thread, watched.waiters)


async def test_a_secret_remembered_on_the_loop_is_masked_in_log_lines_with_patterns_compiled_off_it(
    key: str, compiles: Compiles
) -> None:
    """Remembered on the loop (an embedded worker made there, an LLM call's span), the log masker was left to the next
    line logged, which compiled the secret's patterns on the loop."""
    redaction.forget_all()
    try:
        redaction.remember(key)
        waited = 0.0
        while redaction._masker is None and waited < HELD_AT_MOST_S:  # made meanwhile, not at the line
            await asyncio.sleep(0.05)
            waited += 0.05
        assert redaction.redact_text(f"connected with {key}") == f"connected with {redaction.MASK}"
    finally:
        redaction.forget_all()
    assert compiles.threads and threading.get_ident() not in compiles.threads, compiles.threads
