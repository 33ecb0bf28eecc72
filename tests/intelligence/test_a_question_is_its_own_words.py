"""A question to a tool answering it from a context is the user's own words (fix97), with the media catalogue:
"Is it raining?", "What is the capital of France?" asked the user for both the question and the context, and
"Is notes.txt empty?", "Who wrote it, using the text in notes.txt?" sent the file's text as the question, the
context asked for. Now the question's words are `q`, the file's text (or an earlier result) the context, and only
a context with nothing to give it is asked for; none where the tool's context is optional."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, output_of, plan_read


@pytest.mark.parametrize(
    ("task", "question"),
    [
        ("Is it raining?", "Is it raining"),
        ("Is the server up?", "Is the server up"),
        ("Did the build pass?", "Did the build pass"),
        ("What is the capital of France?", "What is the capital of France"),
    ],
)
async def test_a_question_with_no_data_asks_only_for_its_context(task: str, question: str) -> None:
    nodes, _, missing = await plan_read(task, MEDIA)
    assert [(n.tool, n.args["q"]) for n in nodes] == [("answer_question", question)]
    assert missing == ["answer_question_context"]


@pytest.mark.parametrize(
    ("task", "question"),
    [
        ("Is notes.txt empty?", "Is notes.txt empty"),
        ("Does notes.txt mention Paris?", "Does notes.txt mention Paris"),
        ("Who wrote it, using the text in notes.txt?", "Who wrote it"),
    ],
)
async def test_a_question_on_a_file_asks_its_words_of_the_files_text(task: str, question: str) -> None:
    nodes, _, missing = await plan_read(task, MEDIA)
    assert [n.tool for n in nodes] == ["read_file", "answer_question"]
    assert nodes[1].args == {"q": question, "context": output_of(nodes[0].id)}
    assert not missing


async def test_a_question_to_a_tool_whose_context_is_optional_asks_nothing(tmp_path: Path) -> None:
    tools = tmp_path / "qa.yaml"
    tools.write_text(
        "version: 1\ntools:\n  - {name: answer_question, kind: http, description: Answer a question from a given"
        ' context text., input_types: [text, text], output_types: [text], method: POST, url: "https://m.example.com/qa",'
        ' json: {q: "{{ q }}"}, inputs: {q: {type: string}, context: {type: string, required: false}}}\n'
    )
    nodes, _, missing = await plan_read("Is it raining?", tools)
    assert [(n.tool, n.args) for n in nodes] == [("answer_question", {"q": "Is it raining"})]
    assert not missing


async def test_a_question_after_a_result_still_asks_its_words_of_it() -> None:
    nodes, _, missing = await plan_read("Summarize notes.txt. Is it long?", MEDIA)
    assert [n.tool for n in nodes] == ["read_file", "summarize_text", "answer_question"]
    assert nodes[2].args == {"q": "Is it long", "context": "${summarize.output.text}"}
    assert not missing


async def test_a_masked_credential_in_a_question_is_never_its_words() -> None:
    # the question holds the URL as the analysis masked it: never given to a call (the run is given it whole)
    nodes, _, _ = await plan_read("Is https://ann:hunter2@example.com/a.txt up to date?", MEDIA)
    assert not [n for n in nodes if "***" in str(n.args) or "hunter2" in str(n.args)]
