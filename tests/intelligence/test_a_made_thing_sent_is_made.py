"""A send naming a made thing ("send me the summary") sends that thing or asks for it, never what it was given
instead: with no summarizer in the finance catalogue, "Summarize statement.pdf and send me the summary" e-mailed the
statement whole, and "Compute the returns of 'MSFT' and send me the summary" e-mailed the word 'MSFT' (plan317's
finding). Requests written for these tests; with a summarizer (the media catalogue) the summary is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

FINANCE = Path(__file__).with_name("finance_tools.yaml")


@pytest.mark.parametrize(
    "task",
    [
        "Summarize statement.pdf and send me the summary",  # before: body ${read.output.content}, the file whole
        "Compute the returns of 'MSFT' and send me the summary",  # before: body 'MSFT'
        "Summarize statement.pdf and email the summary to me@x.com",
        "Translate notes.txt into French and email me the translation",
    ],
)
async def test_a_made_thing_no_step_makes_is_asked(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, FINANCE)
    sends = [args for tool, args in calls if tool == "email_report"]
    assert sends and all(args.get("body") == "${inputs.email_report_body}" for args in sends), calls
    assert "email_report_body" in asked, asked


async def test_a_made_thing_a_step_makes_is_sent() -> None:
    calls, asked, _ = await calls_asked_and_said(
        "Summarize notes.txt and send me the summary at me@x.com", FINANCE, MEDIA
    )
    assert calls[-1] == ("email_report", {"to": "me@x.com", "body": "${summarize.output.text}"}), calls
    assert not asked, asked
