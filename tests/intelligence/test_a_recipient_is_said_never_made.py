"""Who a thing is sent to is the user's to say: "Chart 'TSLA' prices and send me the chart" bound the e-mail's `to` to
the chart a step made, and its body was asked. An address is bound only from what the user said, else asked; what the
step made is the body. Requests written for these tests (plan317's finding), with the finance catalogue (it e-mails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

FINANCE = Path(__file__).with_name("finance_tools.yaml")


@pytest.mark.parametrize(
    ("task", "made"),
    [
        # before: email_report {to: ${chart.output...}, body: ${inputs.email_report_body}}
        ("Chart 'TSLA' prices and send me the chart", "${chart.output.json.image || chart.output.text}"),
        ("Chart 'TSLA' prices and email it", "${chart.output.json.image || chart.output.text}"),
    ],
)  # fmt: skip
async def test_a_recipient_is_asked_never_made(task: str, made: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, FINANCE)
    assert calls[-1] == ("email_report", {"body": made, "to": "${inputs.email_report_to}"}), calls
    assert asked == ["email_report_to"], asked


async def test_a_recipient_said_is_bound() -> None:
    calls, asked, _ = await calls_asked_and_said("Chart 'TSLA' prices and send the chart to me@x.com", FINANCE)
    assert calls[-1] == ("email_report", {"to": "me@x.com", "body": "${chart.output.json.image || chart.output.text}"})
    assert not asked, asked
