"""plan324: the verbs asking a delete were three lists (the analysis's lexicon, planning's deleting clauses, the words
a delete tool may be planned for) and drifted: "Eradicate old.txt" found no tool. Each verb of the one list is read
as a delete of the file it names, and as a part taken away where it names a part (no file is deleted for it)."""

from __future__ import annotations

import pytest

from orchestra.analysis.delete_verbs import ONLY_DELETING
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize("verb", sorted(ONLY_DELETING))
async def test_each_deleting_verb_deletes_the_file_named(verb: str) -> None:
    execution = (await plan_task(f"{verb.capitalize()} old.txt", as_the_cli_plans())).execution
    assert execution.plan is not None, execution.missing
    assert [(n.tool, dict(n.args)) for n in execution.plan.nodes] == [("delete_file", {"path": "old.txt"})]


@pytest.mark.parametrize("verb", ["eradicate", "zap", "obliterate", "destroy"])
async def test_a_part_taken_away_deletes_no_file(verb: str) -> None:
    execution = (await plan_task(f"{verb} the typos in a.txt", as_the_cli_plans())).execution
    nodes = execution.plan.nodes if execution.plan else []
    assert not [n for n in nodes if n.tool == "delete_file"], [(n.tool, n.args) for n in nodes]
    assert execution.missing, "the part taken away is said missing"
