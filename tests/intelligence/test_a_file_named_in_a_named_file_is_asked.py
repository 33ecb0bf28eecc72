"""plan196: "Post the file listed in list.txt to URL" posted list.txt's own text, and "Email bob@example.com the file
config.json names" e-mailed config.json: a file said by what a file the clause names holds was read as the file
named (only "it", "them" and "there" pointed at another). What is sent or written is asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    ("task", "catalogue", "asked", "named"),
    [
        ("Post the file listed in list.txt to https://example.com/u", MEDIA, "http_request_body", "list.txt"),
        ("Email bob@example.com the file config.json names", THIRD_PARTY, "send_email_body", "config.json"),
        ("Upload the file that paths.txt names to https://example.com/u", MEDIA, "http_request_body", "paths.txt"),
        ("Write 'x' to the file given in paths.txt", MEDIA, "write_file_path", "paths.txt"),
    ],
)
async def test_a_file_named_in_a_named_file_is_asked(task: str, catalogue: Path, asked: str, named: str) -> None:
    result = await plan_task(task, as_the_cli_plans(catalogue))
    assert asked in result.execution.missing_inputs, result.execution.missing_inputs
    plan = result.execution.plan
    assert plan is not None
    for node in plan.nodes:
        assert named not in str(node.args), node.args  # the file that names it is neither read nor written


async def test_a_file_named_in_a_named_file_is_still_summarised_from_it() -> None:
    result = await plan_task("Summarize the file listed in list.txt", as_the_cli_plans(MEDIA))
    assert not result.execution.missing_inputs, result.execution.missing_inputs
