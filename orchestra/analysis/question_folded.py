"""A question folded into the step before it, which serves it: "Look at the document x.jpg and tell me who wrote it",
"Read the document x.jpg and answer who wrote it". The step before's tool answers questions, and the question is the
folded clause's words; before, they were dropped with the clause and the tool's question was asked for, as if the
user had said none."""

from __future__ import annotations

from orchestra.analysis.data import Extracted
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.selection.index import ToolIndex


def asked_of_the_step_before(goal: Goal, step: TaskStep, extracted: Extracted, index: ToolIndex) -> None:
    """Give ``step`` (the step before, which ``goal``'s clause restates) that clause's question as its text, where
    its tool takes a text and nothing gives it one: no result, no quote, no question of its own."""
    card = index.card(step.candidates[0]) if step.candidates else None
    if not goal.question or card is None or "text" not in card.input_types:
        return
    if "text" in step.accepts or any(d.kind in ("query", "text") for d in step.data):
        return
    step.data.append(DataItem(kind="query", value=extracted.show(goal.clause.text).strip()))
    step.accepts.append("text")
