"""attack421: "Have a translation of notes.txt into French emailed to bob@example.com" was read as the translation
alone (a light verb and a noun of work, plan-lead3): the plan read and translated notes.txt and said nothing of the
email, as if it had been asked. Where the thing had is sent or written, the order is not the work alone: the request
is read whole (a short one, "Have a summary of notes.txt emailed to ...", by ``causative``) or said to be unread,
never planned without its send."""

from __future__ import annotations

import pytest

from orchestra.analysis.models import TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "put"),
    [
        ("Have a translation of notes.txt into French emailed to bob@example.com.", "email"),
        ("Have a translation of notes.txt into French written to out.txt.", "out.txt"),
        ("Have a summary of notes.txt emailed to bob@example.com.", "email"),
    ],
)
async def test_the_send_is_planned_or_said(task: str, put: str) -> None:
    try:
        result = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    except TaskAnalysisError as error:
        assert "no action found" in str(error)
        return
    nodes = result.plan.nodes if result.plan is not None else []
    assert any(put in str(n.args) for n in nodes) or any(put in m for m in result.missing), (nodes, result.missing)


def test_work_had_alone_is_still_planned() -> None:
    from orchestra.analysis import analyse_heuristic

    steps = analyse_heuristic("Have a conversation with me about 'space travel'.", as_the_cli_plans()).steps
    assert len(steps) == 1
