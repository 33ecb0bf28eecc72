"""`plan "TASK"`: analysis, selections and plan, printed without running anything (offline with the
heuristic backend); `--out FILE` writes the plan as a plan file `run --plan FILE` runs as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from orchestra.cli.commands.run import options_from, task_options
from orchestra.cli.errors import EXIT_INVALID, EXIT_OK
from orchestra.cli.options import PLAN, command, inputs_option, json_option, task_text, write_out

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("plan", section=PLAN, help="analyse a task, select tools and show the plan (runs nothing; offline by default)",
         bounded=True)  # fmt: skip
@click.argument("task", metavar="TASK", callback=task_text)
@json_option
@click.option("--out", metavar="FILE", help="write the plan to FILE (YAML) for `run --plan FILE` or `schedule create`")
@inputs_option
@task_options
async def plan(
    ctx: Context, task: str, as_json: bool, out: str | None, inputs: tuple[str, ...], **planning: Any
) -> int:

    from orchestra.cli.planning import plan_file_text, planned, runnable

    result = await planned(ctx, task, options_from(planning))
    if as_json:
        from orchestra.cli.json_output import print_json  # not render: JSON needs no rich

        print_json(ctx, result)
    else:
        from orchestra.cli import render
        from orchestra.cli.planning import render_planning

        render.show(ctx, render_planning(result))
    if result.execution.plan is None:
        return EXIT_INVALID
    if out:
        prepared = runnable(ctx, result, inputs)  # the plan file is valid and has every input it needs
        await write_out(out, plan_file_text(prepared.plan))
        ctx.note(f"wrote the plan to {out}: `python client.py run --plan {out}` runs it")
    return EXIT_OK
