"""A result sent with whom it goes to said before it ("send me the summary at me@example.com", "email him the
translation"): the send is given what the step before made. Read as the verb's object, "me" hid "the summary": the
e-mail was planned first, its body asked, and the summary made after it, sent nowhere. Requests written for these
tests, with the finance catalogue (it e-mails) and the media one (it summarises and translates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

FINANCE = Path(__file__).with_name("finance_tools.yaml")


@pytest.mark.parametrize(
    ("task", "maker", "to"),
    [
        # before: email_report first, its body ${inputs.email_report_body}; summarize_text after it
        ("Summarize notes.txt and send me the summary at me@example.com", "summarize", "me@example.com"),
        ("Translate notes.txt into French and email him the translation at bob@example.com", "translate", "bob@example.com"),
    ],
)  # fmt: skip
async def test_a_result_sent_to_whom_said_first(task: str, maker: str, to: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, FINANCE, MEDIA)
    assert [tool for tool, _ in calls][-1] == "email_report", calls
    assert calls[-1][1] == {"to": to, "body": f"${{{maker}.output.text}}"}, calls
    assert not asked, asked
