"""Tools described in files: a placeholder's value may fill a slot, never turn it into an option (a
placeholder inside an argument, as in ``{{ name }}.txt``) nor make a ``.``/``..`` path segment (in a
URL's path, in an argument)."""

from __future__ import annotations

import textwrap
from typing import Any

from orchestra.record import StepState
from tests.helpers import http_server, json_body
from tests.security.support import real_settings, run

TOOLS = """
tools:
  - name: count_lines
    kind: command
    description: count the lines of one text file
    argv: [wc, -l, "{{ name }}.txt"]
    retry: {max_attempts: 1}
    inputs:
      name: {type: string}
  - name: item
    kind: http
    description: one item of the API
    url: "BASE/api/items/{{ id }}"
    retry: {max_attempts: 1}
    inputs:
      id: {type: string}
"""


async def test_placeholders_cannot_make_options_or_dot_segments(client, task_queue, tmp_path):
    paths: list[str] = []

    def api(request: Any) -> tuple[int, dict[str, str], bytes]:
        paths.append(request.path)
        return json_body({"admin": request.path.startswith("/api/admin")} if "items" not in request.path else {})

    with http_server(api) as url:
        tools = tmp_path / "tools.yaml"
        tools.write_text(textwrap.dedent(TOOLS).replace("BASE", url))
        settings = real_settings(
            client, task_queue, tmp_path / "ws", registry_files=[str(tools)], allowed_hosts=["127.0.0.1", url[7:]]
        )
        (settings.workspace / ".hidden").write_text("not for this tool\n")
        (settings.workspace / "names.txt").write_text(".hidden\0")
        (settings.workspace / "a.txt").write_text("a\n")
        plan = {"name": "placeholders", "nodes": [
            # "--files0-from=names.txt": wc would count every file names.txt lists
            {"id": "option", "tool": "count_lines", "args": {"name": "--files0-from=names"}},
            {"id": "plain", "tool": "count_lines", "args": {"name": "a"}},
            {"id": "up", "tool": "item", "args": {"id": ".."}},
            {"id": "fine", "tool": "item", "args": {"id": "7"}},
        ]}  # fmt: skip
        record, history = await run(client, settings, plan)
    option, up = record.step("option"), record.step("up")
    assert option.state == StepState.ERROR and option.error is not None and "option" in option.error.message
    assert ".hidden" not in history, "the value became an option of wc"
    assert record.step("plain").state == StepState.COMPLETED
    assert up.state == StepState.ERROR and up.error is not None and "'..' path segment" in up.error.message
    assert record.step("fine").state == StepState.COMPLETED
    assert all(path.startswith("/api/items/") for path in paths), paths
