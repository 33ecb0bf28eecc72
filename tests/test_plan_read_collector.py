"""A YAML plan file is read with Python's cycle collector paused: its parser's events and nodes, none a cycle,
each set off collections that walked all those made before (half the CPU of reading a large plan;
bench/plan_read_cost.py). The collector is as it was after, whatever the read ended with."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from orchestra.documents import load_yaml
from orchestra.errors import PlanValidationError
from orchestra.plan_file import read_plan_document

LIMIT = 10_000_000


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each cycle collection started meanwhile."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def many_steps(tmp_path: Path, steps: int = 9000) -> Path:
    path = tmp_path / "many.yaml"
    nodes = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(steps)]
    path.write_text(yaml.dump({"name": "many", "nodes": nodes}, Dumper=yaml.CSafeDumper))
    return path


@pytest.mark.usefixtures("collector_enabled")
def test_a_large_yaml_plan_is_read_with_no_cycle_collection_and_the_same_document(
    tmp_path: Path, collections: list[int]
) -> None:
    path = many_steps(tmp_path)
    collections.clear()  # those writing the file set off
    document = read_plan_document(path, LIMIT, "the limit")
    assert collections in ([], [0]), collections  # at most the one the document owes once the collector resumes
    assert gc.isenabled()
    assert document == load_yaml(path.read_text())


@pytest.mark.usefixtures("collector_enabled")
@pytest.mark.parametrize(
    "text",
    [
        "nodes: &n [{id: a, tool: sleep, args: {x: *n}}]\n",  # refused from its events: a cycle
        "nodes: [unclosed\n",  # refused by the loader
        "name: p\n1: x\n",  # refused by the loader's constructor: a key that is no text
    ],
)
def test_the_collector_runs_again_after_a_refused_yaml_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PlanValidationError):
        read_plan_document(path, LIMIT, "the limit")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_collector_paused_before_the_read_stays_paused(tmp_path: Path) -> None:
    gc.disable()
    read_plan_document(many_steps(tmp_path, 10), LIMIT, "the limit")
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_json_plan_is_read_with_the_collector_left_as_it_is(tmp_path: Path) -> None:
    """JSON's parser builds the document in C, no faster with the collector paused: left alone."""
    path = tmp_path / "p.json"
    path.write_text('{"name": "p", "nodes": []}')
    assert read_plan_document(path, LIMIT, "the limit") == {"name": "p", "nodes": []}
    assert gc.isenabled()
