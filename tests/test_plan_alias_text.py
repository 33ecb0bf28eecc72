"""A YAML plan whose aliases repeat long text is refused by what it expands to, in characters, before the
expanded document is built: under the file size limit, one 900,000-character anchor aliased 2,000 times
took 24 s and 3.6 GB before the plan's size was refused. The expanded text may be no longer than the
file could be (the plan travels as one value, every character at least a byte)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from orchestra.errors import PlanValidationError
from orchestra.plan import load_plan
from orchestra.settings import Settings

OFF = Settings.from_env({"ORCHESTRA_STORAGE": "off"})  # the largest value: Temporal's 2 MiB
TEXT = "x" * 300_000
STEP = "  - {id: n%d, tool: sleep, args: {seconds: 0}, description: %s}\n"


def plan(head: str, step: str, steps: int) -> str:
    return f"name: p\n{head}nodes:\n" + "".join(step.replace("%d", str(i), 1) for i in range(steps))


BOMBS = {
    # one long text, aliased: the attack as found
    "scalar": plan(f"description: &t {TEXT}\n", STEP.replace("%s", "*t"), 10),
    # a mapping holding it, aliased and merged
    "mapping": plan(
        f"inputs: &m {{a: {TEXT}}}\n",
        "  - {id: n%d, tool: write_file, args: {path: x, json: *m}}\n",
        10,
    ),
    "merged": plan(f"defaults: &d {{description: {TEXT}}}\n", "  - {<<: *d, id: n%d, tool: sleep}\n", 10)
    .replace("defaults:", "inputs:"),
    # aliases of aliases: three of a list of three
    "nested": plan(f"inputs: {{a: &t {TEXT}, b: &l [*t, *t, *t]}}\n", "  - {id: n%d, tool: sleep, args: {seconds: 0}, description: x}\n", 1)
    .replace("description: x}", "description: x, alternatives: [{tool: sleep, args: {l: [*l, *l, *l]}}]}"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_aliases_that_expand_past_the_largest_value_are_refused_before_the_document_is_built(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(BOMBS[name])
    assert path.stat().st_size < 400_000
    tracemalloc.start()
    with pytest.raises(PlanValidationError) as err:
        load_plan(path, settings=OFF)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    [problem] = err.value.problems
    assert "expands to more than 2,097,152 characters of text (YAML aliases)" in problem, problem
    assert "byte offset" in problem and "Temporal's payload limit" in problem, problem
    assert peak < 20_000_000, f"{peak:,} bytes at peak"


def test_aliases_of_text_within_the_largest_value_still_load(tmp_path: Path) -> None:
    path = tmp_path / "within.yaml"
    path.write_text(plan(f"description: &t {TEXT}\n", STEP.replace("%s", "*t"), 5))  # 1.8 M characters
    assert [node.description for node in load_plan(path, settings=OFF).nodes] == [TEXT] * 5
