"""`pause`, `resume`, `cancel`, `approve`, `reject`: each takes effect or says why not and exits 1
(orchestra/cli/control.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from orchestra.cli.options import AGENT, CONTROL, command, json_option, utf8_text, workflow_id_argument

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("pause", section=CONTROL, help="pause a run: running steps finish, no new step starts until resume")
@workflow_id_argument
@click.option(
    "--native", is_flag=True, help="Temporal's own workflow pause (as the Web UI's Pause) instead of the run's own"
)
@click.option("--reason", default="", callback=utf8_text, help="why (shown in the record and the Web UI)")
@json_option
async def pause(ctx: Context, workflow_id: str, native: bool, reason: str, as_json: bool) -> int:
    from orchestra.cli import control

    return await control.pause(ctx, workflow_id, native=native, reason=reason, as_json=as_json)


@command("resume", section=CONTROL, help="resume a paused run, however it was paused (signal, CLI or Web UI)")
@workflow_id_argument
@click.option("--native", is_flag=True, help="only undo a native pause (fails if the run is not natively paused)")
@json_option
async def resume(ctx: Context, workflow_id: str, native: bool, as_json: bool) -> int:
    from orchestra.cli import control

    return await control.resume(ctx, workflow_id, native_only=native, as_json=as_json)


@command("cancel", section=CONTROL, help="cancel a run (finished steps keep their results)")
@workflow_id_argument
@click.option(
    "--unpause", is_flag=True, help="if the run is natively paused, unpause it so the cancellation happens now"
)
@click.option(
    "--terminate", is_flag=True,
    help="end the run at once on the server, for a run that cannot act on a cancellation (its workflow task keeps "
    "failing): nothing of the workflow runs, running steps are abandoned, the history keeps what finished",
)  # fmt: skip
@json_option
async def cancel(ctx: Context, workflow_id: str, unpause: bool, terminate: bool, as_json: bool) -> int:
    from orchestra.cli import control

    return await control.cancel(ctx, workflow_id, unpause=unpause, terminate=terminate, as_json=as_json)


CALL = click.option(
    "--call", "call_id", metavar="CALL_ID", callback=utf8_text, help="the waiting call (default: every waiting call)"
)
REASON = click.option("--reason", default="", callback=utf8_text, help="why (the model is told)")


@command("approve", section=AGENT, help="let an agent run's waiting tool call(s) run")
@workflow_id_argument
@CALL
@REASON
@json_option
async def approve(ctx: Context, workflow_id: str, call_id: str | None, reason: str, as_json: bool) -> int:
    from orchestra.cli import control

    return await control.decide(ctx, workflow_id, approve=True, call_id=call_id, reason=reason, as_json=as_json)


@command("reject", section=AGENT, help="refuse an agent run's waiting tool call(s): they do not run")
@workflow_id_argument
@CALL
@REASON
@json_option
async def reject(ctx: Context, workflow_id: str, call_id: str | None, reason: str, as_json: bool) -> int:
    from orchestra.cli import control

    return await control.decide(ctx, workflow_id, approve=False, call_id=call_id, reason=reason, as_json=as_json)
