"""`tools`: the tools in the registry (built-ins, ORCHESTRA_REGISTRY / --registry files, their MCP servers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from orchestra.cli.errors import EXIT_FAILED, EXIT_OK
from orchestra.cli.options import PLAN, command, json_option

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("tools", section=PLAN, help="list the tools in the registry (--json: full specs with input/output schemas)")
@json_option
@click.option("--refresh", is_flag=True, help="ask MCP servers for their tools now, not from the cache")
async def tools(ctx: Context, as_json: bool, refresh: bool) -> int:
    from orchestra.cli import render
    from orchestra.cli.plans import registry_for

    registry = registry_for(ctx, refresh_mcp=refresh)
    if as_json:
        render.print_json(ctx, [{**tool.spec.describe(), "server": registry.server_of(tool.name)} for tool in registry])
    else:
        rows = [
            [t.name, registry.source_of(t.name), ", ".join(t.spec.capabilities), t.spec.description]
            for t in registry  # sorted by name
        ]
        render.show(ctx, render.table(["tool", "source", "capabilities", "description"], rows, wide=["description"]))
    # A server that could not be listed (or a tool of it that was refused) is said, and the exit code tells.
    unavailable = False
    for problems in registry.server_problems.values():
        for problem in problems:
            ctx.note(problem)
            unavailable = unavailable or "is unavailable" in problem
    return EXIT_FAILED if unavailable else EXIT_OK
