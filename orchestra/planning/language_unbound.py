"""A language said for work ("Translate hello.txt to French") that the tool chosen takes no input for is said so:
translate_text takes the text alone, and the plan translated into whatever the tool's own default is, without a
word that French was given to no call. The step is planned (the tool may well be the user's French translator), with
a warning naming the language and the tool."""

from __future__ import annotations

from orchestra.analysis.models import TaskStep
from orchestra.registry import ToolRegistry

# The analysis's name for the language said (``heuristic._params``), where no input of the tool's took it
_SAID = "target_language"


def languages_unbound(steps: list[TaskStep], tools: dict[str, str], registry: ToolRegistry) -> list[str]:
    """A warning per step (``tools``: step id -> the tool of its first call) given a language its tool has no input
    for."""
    out = []
    for step in steps:
        language = step.params.get(_SAID)
        tool = tools.get(step.id)
        if not isinstance(language, str) or tool is None or tool not in registry:
            continue
        spec = registry.get(tool).spec
        names = [f.alias or n for n, f in spec.input_model.model_fields.items()]
        if not any("lang" in n.lower() for n in names):
            out.append(
                f"step {step.id!r} ({step.action[:80]!r}) is said to work into {language!r}, which {tool} takes no "
                "input for: it works into its own default language; name a tool that takes the language, or check it"
            )
    return out
