"""A worker's secret setting written as UTF-16 big-endian (a Java or network tool's bytes of a string: hex, spaced hex,
base64) is masked in a step's output in the history, as its little-endian form was: it went out in clear. A real
server on loopback, a real worker, the whole history read back. And a plan's value so written, in a log line."""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.record import StepState
from orchestra.telemetry import redaction
from tests.helpers import http_server
from tests.security.support import real_settings, run

SECRETS = ("another plan's pass phrase 7", "p@ss/w:rd?&=+ #key%7 ünï", "sk-ABCDEFGHIJKLMNOPQRSTUV0123456789")
TOOLS = """
tools:
  - name: dump
    kind: http
    description: a service's debug dump
    url: "BASE/dump"
    retry: {max_attempts: 1}
"""


def big_endian(secret: str) -> list[str]:
    data = secret.encode("utf-16-be")
    return [data.hex(), data.hex().upper(), data.hex(" "), base64.b64encode(data).decode()]


def dumping(*secrets: str) -> Any:
    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        body = "debug dump:\n" + "\n".join(form for secret in secrets for form in big_endian(secret))
        return 200, {"Content-Type": "text/plain"}, body.encode()

    return answer


async def test_a_setting_in_utf16_big_endian_is_masked_in_a_steps_output(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number, secret in enumerate(SECRETS):
        monkeypatch.setenv(f"ORCHESTRA_SECRET_DUMPED_{number}", secret)
    with http_server(dumping(*SECRETS)) as url:
        tools = tmp_path / "tools.yaml"
        tools.write_text(textwrap.dedent(TOOLS).replace("BASE", url))
        settings = real_settings(
            client, task_queue, tmp_path / "ws", registry_files=[str(tools)], allowed_hosts=[url[7:]]
        )
        record, history = await run(client, settings, {"name": "dump", "nodes": [{"id": "d", "tool": "dump"}]})
    assert record.step("d").state == StepState.COMPLETED, record.step("d").error
    assert "debug dump" in history, "the output itself is kept"
    shown = [form for secret in SECRETS for form in big_endian(secret) if form in history]
    assert not shown, f"found in the history: {shown}"


@pytest.mark.parametrize("value", ["plan-header-value-7Qx9ZpL2", "a plan's valüe, spaced"])
def test_a_plans_value_in_utf16_is_masked_in_a_log_line(value: str) -> None:
    redaction.remember(value, every_form=False)  # as a call's header values are, while it runs
    try:
        for order in ("utf-16-le", "utf-16-be"):
            data = value.encode(order)
            for form in (data.hex(), data.hex(" "), base64.b64encode(data).decode()):
                said = redaction.redact_text(f"sent {form} to the server")
                assert form not in said and "[REDACTED]" in said, (order, said)
    finally:
        redaction.forget_all()
