"""`prune-payloads`: delete the stored values of runs the server no longer has (orchestra/storage/prune.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from orchestra.cli.errors import EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.options import STACK, command, json_option

if TYPE_CHECKING:
    from orchestra.cli.context import Context


@command("prune-payloads", section=STACK, help="delete the values stored in the data folder (ORCHESTRA_STORAGE="
         "folder) for runs the server no longer has, past the namespace's retention; S3 expires by lifecycle rule")  # fmt: skip
@click.option("--grace", default="1h", show_default=True, metavar="DURATION",
              help="keep what changed more recently (a client stores a run's input just before it starts)")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="only say what would be deleted")
@json_option
async def prune_payloads(ctx: Context, grace: str, dry_run: bool, as_json: bool) -> int:
    from orchestra.cli.durations import parse_duration
    from orchestra.storage.prune import NamespaceUnknown, prune_folder

    if ctx.settings.storage != "folder":
        raise CliError(f"ORCHESTRA_STORAGE={ctx.settings.storage}: only the folder driver is pruned here", EXIT_INVALID)
    root = ctx.settings.storage_folder()
    # Before connecting: a bad --grace is a usage error (2), whether or not a server answers.
    kept_for = parse_duration(grace)
    try:
        report = await prune_folder(await ctx.client(), root, grace=kept_for, dry_run=dry_run)
    except NamespaceUnknown as exc:
        raise CliError(str(exc), EXIT_INVALID) from None
    if as_json:  # a scheduled job's figures
        from orchestra.cli.json_output import print_json

        print_json(ctx, {"folder": str(root), "dry_run": dry_run, "deleted": report.deleted,
                         "deleted_count": len(report.deleted), "freed_bytes": report.freed_bytes, "kept": report.kept,
                         "notes": report.notes})  # fmt: skip
        return EXIT_OK
    verb = "would delete" if dry_run else "deleted"
    ctx.say(f"{verb} the stored values of {len(report.deleted)} run(s) ({report.freed_bytes:,} bytes) "
            f"in {root}; kept {report.kept}")  # fmt: skip
    for workflow_id in report.deleted:
        ctx.say(f"  {workflow_id}")
    for note in report.notes:
        ctx.say(note)
    return EXIT_OK
