"""`tools`: the tools in the registry (built-ins and ORCHESTRA_REGISTRY / --registry files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestra.cli.errors import EXIT_OK
from orchestra.cli.options import PLAN, command, json_option

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("tools", section=PLAN, help="list the tools in the registry (--json: full specs with input/output schemas)")
@json_option
async def tools(ctx: Context, as_json: bool) -> int:
    from orchestra.cli import render
    from orchestra.cli.plans import registry_for

    registry = registry_for(ctx)
    if as_json:
        render.print_json(ctx, [tool.spec.describe() for tool in registry])
        return EXIT_OK
    rows = [[t.name, ", ".join(t.spec.capabilities), t.spec.description] for t in registry]  # sorted by name
    render.show(ctx, render.table(["tool", "capabilities", "description"], rows, wide=["description"]))
    return EXIT_OK
