"""A task run as a user starts it (`run "TASK"`): what it writes is the data it fetched."""

from __future__ import annotations

import json

from tests.helpers import http_server, json_body, worker_for


def site(request):
    if request.path == "/api/info":
        return json_body({"version": "1.2.3", "shards": 1})
    return 200, {"Content-Type": "text/html"}, b"<html><title>home</title></html>"


async def test_a_task_writes_json_responses_as_json_and_pages_as_text(client, task_queue, tmp_path, cli):
    with http_server(site) as base:
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            ran = await cli("run", f"download {base}/api/info and {base}/home, then write them to both.json")
    assert ran.code == 0, ran.out + ran.err
    written = json.loads((tmp_path / "workspace" / "both.json").read_text())
    assert written == [{"version": "1.2.3", "shards": 1}, "<html><title>home</title></html>"]
