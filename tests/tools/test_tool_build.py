"""A tool described in a file is built on its first use, which may come from several threads at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

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
