"""Task analysis: a plain-language task -> TaskAnalysis, by the offline heuristic or an LLM.

The backends are imported when first used: the tool index imports ``analysis.words``, and an
offline `plan` never needs the LLM client.
"""

from __future__ import annotations

from typing import Literal

from orchestra.analysis.models import TaskAnalysis, TaskAnalysisError, TaskComplexity, TaskStep
from orchestra.references import half_surrogate
from orchestra.registry import ToolRegistry

Backend = Literal["heuristic", "llm"]


def analyse_heuristic(task: str, registry: ToolRegistry) -> TaskAnalysis:
    from orchestra.analysis.heuristic import analyse_heuristic as heuristic

    _check_text(task)
    return heuristic(task, registry)


async def analyse(task: str, registry: ToolRegistry, backend: Backend = "heuristic") -> TaskAnalysis:
    """One interface for both backends; the llm one reads its endpoint from the environment."""
    _check_text(task)
    if backend == "heuristic":
        return analyse_heuristic(task, registry)
    from orchestra.analysis.llm_backend import analyse_llm
    from orchestra.llm import ChatClient, LLMConfig

    async with ChatClient(LLMConfig.from_env()) as client:
        return await analyse_llm(task, registry, client)


def _check_text(task: str) -> None:
    """A task from Python (the CLI refuses it first) may hold half a surrogate pair, which no UTF-8, and so
    no run, id or model request, can carry: refused here, not a UnicodeEncodeError deep in the planner."""
    if half := half_surrogate(task):
        raise TaskAnalysisError(f"the task holds half a surrogate pair ({half}), which no UTF-8 text carries")


__all__ = ["Backend", "TaskAnalysis", "TaskAnalysisError", "TaskComplexity", "TaskStep", "analyse", "analyse_heuristic"]
