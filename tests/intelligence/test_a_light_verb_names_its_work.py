""" "Have a conversation with me about 'space travel'" opening a request was read as telling (a sentence about
having something), and the request had "no action found"; after "please" it was work. A light verb and a noun of work
ask for that work; "have a nice day" names none."""

from __future__ import annotations

import pytest

from orchestra.analysis.models import TaskAnalysisError
from tests.intelligence.reading import clauses_read


@pytest.mark.parametrize(
    "task",
    ["Have a conversation with me about space travel.", "Have a translation of hello into French done."],
)
def test_work_had_is_asked(task: str) -> None:
    assert [asked for _, asked in clauses_read(task)] == [True]


@pytest.mark.parametrize("task", ["Have a nice day.", "Have a look at it."])
def test_no_work_had_is_no_request(task: str) -> None:
    assert [asked for _, asked in clauses_read(task)] == [False]


def test_a_request_opening_so_is_planned() -> None:
    from orchestra.analysis import analyse_heuristic
    from tests.intelligence.reading import as_the_cli_plans

    try:
        steps = analyse_heuristic("Have a conversation with me about 'space travel'.", as_the_cli_plans()).steps
    except TaskAnalysisError as error:  # the old reading: no action found
        pytest.fail(str(error))
    assert len(steps) == 1
