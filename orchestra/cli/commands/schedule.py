"""`schedule create|list|describe|trigger|pause|unpause|delete`: a plan file or a task run on a cron or an
interval through Temporal Schedules (the server starts the runs; only a worker needs to be up). A task
is planned and validated when the schedule is created (orchestra/cli/schedules.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from orchestra.cli.options import SCHEDULE, command, group, id_text, inputs_option, json_option, plan_option, utf8_text

if TYPE_CHECKING:
    from orchestra.cli.context import Context

OVERLAPS = ("skip", "buffer_one", "buffer_all", "cancel_other", "terminate_other", "allow_all")

schedule = group(
    "schedule", section=SCHEDULE, help="run a plan or a task on a cron or an interval (Temporal Schedules)"
)
schedule_id = click.argument("schedule_id", metavar="ID", callback=id_text)


@command("create", parent=schedule, help="create a schedule; the plan (or the task's plan) is validated first, "
         "and nothing is created if it is invalid")  # fmt: skip
@schedule_id
@plan_option(required=False)
@click.option(
    "--task", metavar="TEXT", callback=utf8_text, help="plain-language task, planned now; each run runs that plan"
)
@inputs_option
@click.option(
    "--backend", type=click.Choice(["heuristic", "llm"]), default="heuristic", help="task analysis (with --task)"
)
@click.option("--cron", multiple=True, metavar="EXPR", help='cron expression, e.g. "0 6 * * 1-5"; repeatable')
@click.option("--every", metavar="DURATION", help="interval, e.g. 30s, 15m, 1h, 1d")
@click.option("--offset", metavar="DURATION", help="shift of the interval's phase, e.g. 5m")
@click.option("--timezone", metavar="TZ", help="time zone of cron expressions (e.g. Europe/Paris; default UTC)")
@click.option("--jitter", metavar="DURATION", help="start each run up to this much later, at random")
@click.option(
    "--overlap",
    type=click.Choice(OVERLAPS),
    default="skip",
    show_default=True,
    help="when the previous run is still going",
)
@click.option("--catchup-window", metavar="DURATION", help="after downtime, start missed runs this far back")
@click.option("--pause-on-failure", is_flag=True, help="pause the schedule when a run fails")
@click.option("--paused", is_flag=True, help="create it paused")
@click.option("--note", callback=utf8_text, help="note shown with the schedule")
@click.option("--trigger", is_flag=True, help="also start one run now")
@json_option
async def create(ctx: Context, schedule_id: str, **options: Any) -> int:
    from orchestra.cli import schedules
    from orchestra.cli.errors import EXIT_INVALID, CliError

    if bool(options["plan_file"]) == bool(options["task"]):
        raise CliError("give either --plan FILE or --task TEXT", EXIT_INVALID)
    return await schedules.create(ctx, schedule_id, options)


@command("list", parent=schedule, help="list schedules")
@json_option
async def list_schedules(ctx: Context, as_json: bool) -> int:
    from orchestra.cli import schedules

    return await schedules.listing(ctx, as_json)


@command("describe", parent=schedule, help="a schedule's spec, state, plan and recent runs")
@schedule_id
@json_option
async def describe(ctx: Context, schedule_id: str, as_json: bool) -> int:
    from orchestra.cli import schedules

    return await schedules.describe(ctx, schedule_id, as_json)


def _action(name: str, help_text: str, with_note: bool = False) -> None:
    async def act(ctx: Context, schedule_id: str, as_json: bool, note: str | None = None) -> int:
        from orchestra.cli import schedules

        return await schedules.act(ctx, schedule_id, name, note, as_json=as_json)

    decorated = json_option(schedule_id(act))
    if with_note:
        decorated = click.option("--note", callback=utf8_text, help="why (shown with the schedule)")(decorated)
    command(name, parent=schedule, help=help_text)(decorated)


_action("trigger", "start one run now (the overlap policy applies)")
_action("pause", "stop starting runs until unpause", with_note=True)
_action("unpause", "start runs again", with_note=True)
_action("delete", "delete a schedule (runs it started go on)")
