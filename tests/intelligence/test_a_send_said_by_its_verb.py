"""plan182 (issue 8): "Message Bob the summary" planned a summariser asking for its text, "Text notes.txt to
+15551234567" a translator (found by the word of its kind), "Send Bob the summary" a question answerer, and none said
the send was not done. A clause handing a thing to a person is done only by a tool that says it sends; with none the
step is missing and the plan says no tool sends to a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

MAILER = """version: 1
tools:
  - {name: send_email, kind: http, description: Send an e-mail message to a recipient., input_types: [text],
     output_types: [text], method: POST, url: "https://m.example.com/mail", json: {to: "{{ to }}", body: "{{ body }}"},
     inputs: {to: {type: string}, body: {type: string}}}
"""


@pytest.mark.parametrize(
    "task",
    [
        "Message Bob the summary",
        "Send Bob the summary",
        "Text notes.txt to +15551234567",
        "Text Bob 'hello'",
        "Message notes.txt to bob@example.com",
        "Summarize notes.txt and text it to Alice",
        "Summarize notes.txt and message it to my boss",
    ],
)
async def test_a_send_to_a_person_is_no_other_work(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution
    plan = result.execution.plan
    assert plan is None or not {n.tool for n in plan.nodes} & {"translate_text", "answer_question", "http_request"}
    assert not result.execution.missing_inputs, result.execution.missing_inputs
    assert any("no e-mail, chat or sharing tool" in note for note in result.analysis.notes), result.analysis.notes


async def test_the_words_text_and_message_as_nouns_still_do_the_work() -> None:
    result = await plan_task("Translate the text 'hola' into English", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and [n.tool for n in result.execution.plan.nodes] == ["translate_text"]


async def test_a_tool_that_sends_serves_it(tmp_path: Path) -> None:
    mailer = tmp_path / "mail.yaml"
    mailer.write_text(MAILER)
    result = await plan_task("Summarize notes.txt and email it to bob@example.com", as_the_cli_plans(MEDIA, mailer))
    assert not result.execution.missing and result.execution.plan is not None
    sent = result.execution.plan.nodes[-1]
    assert (sent.tool, sent.args["to"]) == ("send_email", "bob@example.com")


@pytest.mark.parametrize("task", ["Read config.json, then email the file it names", "Email notes.txt"])
async def test_a_verb_that_only_sends_needs_no_person_said(task: str) -> None:
    """ "Read config.json, then email the file it names" planned a listing of config.json, saying nothing of the mail."""
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution
    plan = result.execution.plan
    assert plan is None or {n.tool for n in plan.nodes} <= {"read_file"}, plan
    assert any("no tool emails to a person" in note for note in result.analysis.notes), result.analysis.notes
