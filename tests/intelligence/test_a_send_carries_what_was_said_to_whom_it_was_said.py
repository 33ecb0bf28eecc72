"""plan344 (issue 11): a send's body is what was said to be sent, its recipient who it was said to go to. "Email the
numbers in b.txt to bob@x.com" read b.txt as where the e-mail went and bound its body to "bob@x.com" (with a note
that no tool e-mails, beside a plan that did); "Email 'hello' to bob@x.com" sent the address to "hello". An address
said as the recipient is never the body; a body (a file, its numbers, quoted words, a thing made) never a recipient."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis.models import TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
_WHO_INPUTS = ("to", "phone", "channel")

VERBS = ["Email", "Mail", "Text", "Message", "Send", "Forward", "Share"]
RECIPIENTS = ["bob@x.com", "+15551234567", "me", "Bob"]
# (the body as said, the words of it that must never reach a recipient input)
BODIES = [("b.txt", "b.txt"), ("the numbers in b.txt", "b.txt"), ("'hello there'", "hello there"),
          ("the summary of b.txt", "b.txt")]  # fmt: skip


def _said(args: dict[str, object]) -> str:
    return " ".join(str(v) for v in args.values())


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("recipient", RECIPIENTS)
@pytest.mark.parametrize(("body", "words"), BODIES)
async def test_the_recipient_is_never_the_body_nor_the_body_the_recipient(
    verb: str, recipient: str, body: str, words: str
) -> None:
    try:
        result = await plan_task(f"{verb} {body} to {recipient}", as_the_cli_plans(THIRD_PARTY))
    except TaskAnalysisError:
        return  # "Text b.txt to bob@x.com": read as no work, and said so
    plan = result.execution.plan
    for node in plan.nodes if plan is not None else []:
        for name, value in node.args.items():
            if name in _WHO_INPUTS:
                assert words not in str(value), (name, node)
            elif name not in ("subject", "api_key") and recipient not in ("me", "Bob"):
                assert recipient not in str(value), (name, node)  # no body, subject or anything else is the address


@pytest.mark.parametrize(
    "task",
    [
        "Email the numbers in b.txt to bob@x.com",
        "Email the lines in b.txt to bob@x.com",
        "Email the text in b.txt to bob@x.com",
        "Mail the figures in b.txt to bob@x.com",
        "Send the numbers in b.txt by email to bob@x.com",
    ],
)
async def test_what_a_file_holds_sent_is_read_and_the_address_is_the_recipient(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    sends = [n for n in plan.nodes if n.tool == "send_email"]
    assert sends and all(n.args.get("to") == ["bob@x.com"] for n in sends), plan.nodes
    assert all("bob@x.com" not in str(n.args.get("body")) for n in sends), sends
    assert any(n.tool == "read_file" and n.args.get("path") == "b.txt" for n in plan.nodes), plan.nodes
    assert not any("no tool" in note and "to a person" in note for note in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize(
    ("task", "to", "body"),
    [
        ("Email 'hello' to bob@x.com", ["bob@x.com"], "hello"),
        ("Email bob@x.com 'hello'", ["bob@x.com"], "hello"),
        ("Email 'hello' to 'bob@x.com'", ["bob@x.com"], "hello"),
        ("Email 'hello' to Bob", "${inputs.send_email_to}", "hello"),
        ("Mail me 'hello'", "${inputs.send_email_to}", "hello"),
        ("Email 'the report is late' to ann@example.org", ["ann@example.org"], "the report is late"),
    ],
)
async def test_a_quote_sent_is_the_body_and_never_the_recipient(task: str, to: object, body: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    [send] = [n for n in plan.nodes if n.tool == "send_email"]
    assert (send.args.get("to"), send.args.get("body")) == (to, body), send.args


@pytest.mark.parametrize(
    ("task", "args"),
    [  # alike, not sends to a person: their ways still read in order and by "to"
        ("Convert 100 'USD' to 'EUR'", {"amount": 100, "from_currency": "USD", "to_currency": "EUR"}),
        ("Convert 100 from 'USD' to 'EUR'", {"amount": 100, "from_currency": "USD", "to_currency": "EUR"}),
        ("Convert 'USD' 'EUR' 100", {"amount": 100, "from_currency": "USD", "to_currency": "EUR"}),
    ],
)
async def test_ways_of_other_tools_are_read_as_before(task: str, args: dict[str, object]) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    assert result.execution.plan is not None
    assert [n.args for n in result.execution.plan.nodes] == [args]
