"""A tool described in a file is built on its first use, which may come from several threads at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolCard, ToolFunction, ToolSpec


def test_concurrent_first_uses_build_a_tool_once_and_see_one_build() -> None:
    built = default_registry().get("sleep")
    builds: list[int] = []
    entered = threading.Barrier(4, timeout=10)

    def build() -> tuple[ToolSpec, ToolFunction]:
        builds.append(threading.get_ident())
        time.sleep(0.2)  # as building a large schema's model takes long, holding the GIL or not
        return built.spec, built.run

    tool = Tool(card=ToolCard.of(built.spec), build=build)

    def first_use() -> tuple[ToolSpec, ToolFunction]:
        entered.wait()
        return tool.spec, tool.run

    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(lambda _: first_use(), range(4)))
    assert len(builds) == 1, f"built {len(builds)} times"
    assert all(spec is built.spec and run is built.run for spec, run in seen)


def test_concurrent_planning_passes_build_one_search_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The planner's passes run in threads; each built its own index of a registry new to the worker.
    from orchestra import registry as registries
    from orchestra.selection.index import ToolIndex

    monkeypatch.setattr(registries, "_INDEXES", {})
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path))  # no index stored on disk by an earlier run
    builds: list[int] = []
    build = ToolIndex.build

    def counted(*args: Any, **kwargs: Any) -> ToolIndex:
        builds.append(threading.get_ident())
        time.sleep(0.2)
        return build(*args, **kwargs)

    monkeypatch.setattr(ToolIndex, "build", staticmethod(counted))
    registry = default_registry()
    entered = threading.Barrier(4, timeout=10)

    def first_use() -> ToolIndex:
        entered.wait()
        return registry.index()

    with ThreadPoolExecutor(4) as pool:
        indexes = list(pool.map(lambda _: first_use(), range(4)))
    assert len(builds) == 1, f"built {len(builds)} times"
    assert all(index is indexes[0] for index in indexes)
