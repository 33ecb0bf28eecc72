"""`stats`: run statistics per kind of run, from Temporal visibility (orchestra/cli/statistics.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from orchestra.cli.errors import EXIT_OK
from orchestra.cli.options import INSPECT, choice, command, json_option

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("stats", section=INSPECT, help="run statistics per kind (plan, task, agent): total, succeeded, failed, "
         "average duration, tokens, tool calls, active")  # fmt: skip
@click.option("--kind", type=choice(("plan", "task", "agent")), help="only this kind of run")
@click.option("--query", help="extra visibility filter, e.g. \"OrchestraPlan='nightly'\" (ANDed)")
@click.option("--since", metavar="DURATION", help="only runs started in the last DURATION (e.g. 24h, 7d)")
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    metavar="N",
    help="average duration, tokens and tool calls over the latest N runs of each kind",
)
@json_option
async def stats(
    ctx: Context, kind: str | None, query: str | None, since: str | None, sample: int, as_json: bool
) -> int:
    from dataclasses import asdict

    from orchestra.cli import render, statistics

    kinds = [kind] if kind else list(statistics.KINDS)
    found = [await statistics.collect(ctx, k, statistics.kind_query(k, since, query), sample) for k in kinds]
    if as_json:
        render.print_json(ctx, {s.kind: asdict(s) for s in found})
        return EXIT_OK
    render.show(ctx, statistics.table(found))
    notes = [f"{s.kind} runs: {s.query}" for s in found]
    notes += [f"{s.kind} runs: duration, tokens and tool calls over the latest {s.sampled} (--sample)"
              for s in found if s.sampled < s.total]  # fmt: skip
    ctx.say("\n".join(["", *notes]))
    return EXIT_OK
