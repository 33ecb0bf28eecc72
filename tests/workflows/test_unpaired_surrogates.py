"""Half a surrogate pair in what a tool brings back (a server's JSON ``"\\ud800"``): no UTF-8 carries it, so
the step's output could not be sent to the workflow. It is read as U+FFFD, as undecodable bytes are."""

from __future__ import annotations

import os

from temporalio.client import Client

from tests.helpers import http_server, run_plan


async def test_a_tools_output_with_half_a_surrogate_pair_arrives_with_a_replacement_character(
    client: Client, task_queue: str, tmp_path
):
    answer = b'{"text": "a\\ud800b", "\\udfff": ["\\udc00\\ud83d\\ude00"]}'  # the last pair is whole: kept
    with http_server(lambda _r: (200, {"Content-Type": "application/json"}, answer)) as url:
        plan = {"name": "p", "nodes": [{"id": "get", "tool": "http_request", "args": {"url": f"{url}/"}}]}
        record = await run_plan(client, task_queue, tmp_path, plan)
    step = record.step("get")
    assert step.error is None and step.attempts == 1, step.error
    assert step.output["json"] == {"text": "a\ufffdb", "\ufffd": ["\ufffd\U0001f600"]}


async def test_a_file_name_that_is_not_utf8_is_listed_with_a_replacement_character(
    client: Client, task_queue: str, tmp_path
):
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("x")  # Latin-1, as an older program names it
    plan = {"name": "p", "nodes": [{"id": "ls", "tool": "list_files", "args": {"path": "."}}]}
    record = await run_plan(client, task_queue, tmp_path, plan)
    step = record.step("ls")
    assert step.error is None and step.attempts == 1, step.error
    assert "caf\ufffd.txt" in [entry["path"] for entry in step.output["entries"]]
