"""A plan's notes never contradict its steps. Analysis writes its notes before selection searches the registry:
"Email bob@x.com the numbers in b.txt" (third-party catalogue) was noted "not planned: no tool emails to a person"
while selection then found send_email and planned it (plan344). Each note or missing entry saying a step is not
planned is checked against the calls the plan made for that step, and dropped when the step was planned after all.
"""

from __future__ import annotations

import re

from orchestra.lazy_regex import lazy_compile

# "step 'email' (...) is not planned: ...", "step 'email' (...): No suitable tool found, creation required ..."
_SAID_UNPLANNED = lazy_compile(
    r"^step (?P<q>['\"])(?P<step>.+?)(?P=q) .*?(?:is not planned|No suitable tool found)",
    re.DOTALL,
)


def step_said_unplanned(note: str) -> str | None:
    """The step a note says is not planned (no tool serves it), else None."""
    said = _SAID_UNPLANNED.match(note)
    return said.group("step") if said else None


def true_of_plan(notes: list[str], calls: dict[str, int]) -> list[str]:
    """``notes`` without those saying a step is not planned that has calls in the plan (``calls``: per step)."""
    return [note for note in notes if calls.get(step_said_unplanned(note) or "", 0) == 0]
