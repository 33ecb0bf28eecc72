"""attack242 (issue 8): "Email notes.txt to bob@example.com. No. Summarize it" kept send_email's `to` and a body of
the whole notes.txt; only the subject and api_key were asked ("one already asked holds it"), so answering those two
sent the file the user took back, while the plan's warning said what the step is given is asked. Every plan with a
held step (taken back, said under a condition no call checks, said to repeat) asks for every input of it carrying
content: no step's result and no secret is bound to it, nor to a fallback of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestra.analysis.models import TaskAnalysisError
from orchestra.analysis.secrets_sent import looks_secret
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
A_RESULT = re.compile(r"\$\{[^}]*\.output\b")
ASKED = re.compile(r"\$\{inputs\.\w+\}")  # an input the user gives at run time: asked, whatever its name

WORK = [
    "Email notes.txt to bob@example.com",
    "Email me the summary of notes.txt",
    "Text a.txt to +15551234567",
    "Summarize notes.txt and email it to bob@example.com",
    "Upload notes.txt to the bucket backups",
]
HOLDS = [". No.", "? No", ". Actually, don't.", " if it changed", ". No. Summarize it"]


def _carries(value: object) -> bool:
    return bool(A_RESULT.search(str(value))) or (isinstance(value, str) and looks_secret(ASKED.sub("", value)))


@pytest.mark.parametrize("catalogue", [THIRD_PARTY, MEDIA])
@pytest.mark.parametrize("hold", HOLDS)
@pytest.mark.parametrize("work", WORK)
async def test_a_held_step_asks_every_input_carrying_content(work: str, hold: str, catalogue: Path) -> None:
    registry = as_the_cli_plans(catalogue)
    try:
        result = await plan_task(work + hold, registry)
    except TaskAnalysisError:  # no work read ("Text a.txt to +15551234567? No"): nothing is done
        return
    plan = result.execution.plan
    if plan is None:  # no tool sends: nothing is done, and the plan says what is missing
        assert result.execution.missing, result.execution.problems
        return
    steps = {s.id: s for s in result.analysis.steps}
    for node in plan.nodes:
        step = steps.get(node.id) or steps.get(re.sub(r"_\d+$", "", node.id))
        changes = step is not None and (step.side_effects or registry.get(node.tool).spec.side_effects)
        if step is None or not (step.repeated or (step.condition and changes)):
            continue  # held as the binding holds a call: repeated, or a change under a condition no call checks
        arguments = [node.args, *(f.args for f in node.alternatives)]
        carried = {name: value for args in arguments for name, value in args.items() if _carries(value)}
        assert not carried, (work + hold, node.id, carried)
