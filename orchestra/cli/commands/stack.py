"""`up`, `down` and `demo`: the embedded stack (Temporal dev server + one worker) under the data dir
(orchestra/cli/stack.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestra.cli.options import STACK, command, inputs_option

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("up", section=STACK, help="start the local dev server and a worker (data under the data dir), if not running")
async def up(ctx: Context) -> int:
    from orchestra.cli.stack import cmd_up

    return await cmd_up(ctx)


@command("down", section=STACK, help="stop what `up` started (and nothing else)")
async def down(ctx: Context) -> int:
    from orchestra.cli.stack import cmd_down

    return await cmd_down(ctx)


@command("demo", section=STACK, help="`up`, then run examples/site_report.yaml")
@inputs_option
async def demo(ctx: Context, inputs: tuple[str, ...]) -> int:
    from orchestra.cli.stack import demo as run_demo

    return await run_demo(ctx, inputs)
