"""A secret-looking file given to a tool whose call goes to a host (tests/intelligence/media_tools.yaml: each tool
is ``kind: http``) is sent there, whatever the tool's work: "Summarize .env", "What is in .env?", "Answer the
question in .env" posted .env to the summarizer or the question answerer without a word. By the trust boundary's
rule (docs/security.md: a tool may reach a public host, and what it is given goes with the call) that is a send,
asked as "Send .env to https://x" is: no call is given the file's text, and a warning says why. The same work on
files holding no secrets, or with no tool online, is planned as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


def _given_a_secret(args: dict[str, object]) -> bool:
    return any("read" in str(v) and "output" in str(v) for v in args.values())


@pytest.mark.parametrize(
    "task",
    [
        "Summarize .env",
        "What is in .env?",
        "Answer the question in .env",
        "Read .env and summarize it",
        "Summarize credentials.json",
        "Translate .env.production into French",
        "Summarize id_rsa",
        "Tell me whether .npmrc is positive or negative",
        "Summarize the file server.pem",
        "Give me a short summary of .aws/credentials",
        "Summarize secrets/prod.yaml",
        "Read .env, then summarize it",
    ],
)
async def test_a_secret_given_to_a_tool_online_is_asked(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    remote = [n for n in result.plan.nodes if n.tool not in ("read_file", "list_files")]
    assert remote, result.plan.nodes
    assert not [n for n in remote if _given_a_secret(n.args)], remote
    assert result.missing_inputs, "what the call is given is asked for"
    assert any("looks like it holds secrets" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt",
        "What is in notes.txt?",
        "Answer the question in question.txt",
        "Read report.txt and summarize it",
        "Summarize config.json",
        "Translate readme.md into French",
        "Summarize the file env.txt",
        "Tell me whether review.txt is positive or negative",
        "Summarize keyboard.txt",
        "Give me a short summary of docs/intro.txt",
        "Read tokenizer/vocab.txt, then summarize it",
    ],
)
async def test_a_file_holding_no_secret_is_given_as_before(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert result.plan is not None, result.problems
    assert any(_given_a_secret(n.args) for n in result.plan.nodes), result.plan.nodes
    assert not any("looks like it holds secrets" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("task", ["Read .env", "List the files in .ssh", "Read .env and write it to b.txt"])
async def test_a_secret_read_here_is_read(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans())).execution
    assert result.plan is not None, result.problems
    assert not any("looks like it holds secrets" in w for w in result.warnings), result.warnings
