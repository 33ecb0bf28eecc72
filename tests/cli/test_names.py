"""Names are shown whole — a plan built from a task is named after the whole task, the CLI's tables wrap a
long id or name rather than cut it — and cut, with an ellipsis, only where a limit applies: the search
attribute a run is indexed by."""

from __future__ import annotations

import io
import re

from rich.console import Console
from temporalio.converter import encode_typed_search_attribute_value

from orchestra import search_attributes as sa
from orchestra.cli.render import table
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.cli.cli import Cli, until, write_plan
from tests.control_support import current_details
from tests.helpers import worker_for

TASK = "download http://127.0.0.1:9/quarterly/report.html, extract the text and write it to quarterly-report.txt"


async def test_a_plan_built_from_a_task_is_named_after_the_whole_task():
    plan = (await plan_task(TASK, default_registry())).execution.plan
    assert plan is not None
    assert (
        plan.name
        == "download-http-127.0.0.1-9-quarterly-report.html-extract-the-text-and-write-it-to-quarterly-report.txt"
    )


def test_an_indexed_name_fits_the_limits_cut_with_an_ellipsis():
    assert sa.keyword(sa.PLAN, "nightly-report") == "nightly-report"
    exact = "x" * sa.KEYWORD_MAX_CHARS
    assert sa.keyword(sa.PLAN, exact) == exact
    cut = sa.keyword(sa.PLAN, exact + "y")
    assert len(cut) == sa.KEYWORD_MAX_CHARS and cut == "x" * (sa.KEYWORD_MAX_CHARS - 1) + "…"
    for char in ("é", "😀", '"'):  # escaped in the JSON payload: 6, 12, 2 bytes each
        fitted = sa.keyword(sa.PLAN, char * 400)
        assert fitted.endswith("…") and fitted[:-1] == char * (len(fitted) - 1)
        size = len(encode_typed_search_attribute_value(sa.PLAN, fitted).data)
        assert len(fitted) <= sa.KEYWORD_MAX_CHARS and size <= sa.VALUE_MAX_BYTES, (char, len(fitted), size)


def column(rendered: str, header: str, headers: list[str]) -> list[str]:
    """The text of one column of a rendered table, row by row (a folded cell spans several lines)."""
    lines = rendered.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(headers[0]))
    starts = [lines[head].index(h) for h in headers]
    i = headers.index(header)
    begin, end = starts[i], starts[i + 1] if i + 1 < len(headers) else None
    return [line[begin:end].strip() for line in lines[head + 2 :]]


def test_a_narrow_terminal_wraps_ids_and_names_instead_of_cutting_them():
    headers = ["workflow id", "kind", "status", "state", "plan", "started (UTC)"]
    workflow_id = "plan-fetch-every-page-of-the-quarterly-report-and-count-5f3a9c1e"
    name = "fetch-every-page-of-the-quarterly-report-and-count-the-words-in-each-then-write-them"
    grid = table(headers, [[workflow_id, "plan", "RUNNING", "running", name, "2026-01-02 12:00:00"]],
                 names=["workflow id", "plan"])  # fmt: skip
    out = io.StringIO()
    Console(file=out, width=80).print(grid)
    rendered = out.getvalue()
    assert "".join(column(rendered, "workflow id", headers)) == workflow_id
    assert "".join(column(rendered, "plan", headers)) == name


async def test_a_long_plan_name_runs_shown_whole_and_indexed_cut(client, task_queue, tmp_path, cli: Cli):
    """A name whose indexed value would be over the server's 2 KiB limit used to get the run terminated by
    the server (BadSearchAttributes) at its first upsert, with no record."""
    name = " ".join(f"part-{i}" for i in range(400))  # 3,189 characters
    plan = {"name": name, "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ran = await cli("run", "--plan", write_plan(tmp_path, plan), "--json")
        assert ran.code == 0, ran.out + ran.err
        workflow_id = ran.json["id"]
        assert ran.json["plan_name"] == name
        details = await current_details(client.get_workflow_handle(workflow_id))
    assert details.startswith(f"**{name}** · ✔ **COMPLETED**")
    status = await cli("status", workflow_id)
    assert f"plan {name} · workflow {workflow_id}" in " ".join(status.out.split()), "whole, wrapped at most"
    listed = await until(cli, ("list", "--query", f"WorkflowId='{workflow_id}'", "--json"), lambda r: r.json)
    indexed = listed.json[0]["plan"]
    assert indexed == name[: sa.KEYWORD_MAX_CHARS - 1] + "…"
    assert re.match(r"plan-part-0-part-1-", workflow_id)
