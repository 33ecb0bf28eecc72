"""The attainability labels (bench/planning_attainable.json) and the ceiling computed from them."""

from __future__ import annotations

import json

import pytest

from bench.planning_attainable import LABELS, attainable, edge_losses
from bench.planning_quality import DEFAULT_DATA, Graph, gold


def test_the_attainable_plan_keeps_asked_and_implied_tools_and_implied_links_only():
    expected = Graph(nodes=["Seg", "DocQA", "Sum", "Odd"],
                     edges={("Seg", "DocQA"), ("DocQA", "Sum"), ("DocQA", "Odd"), ("Sum", "Odd")})  # fmt: skip
    entry = {"tools": [{"tool": "Seg", "class": "c"}, {"tool": "DocQA", "class": "b"}, {"tool": "Sum", "class": "a"},
                       {"tool": "Odd", "class": "a"}, {"tool": "ASR", "class": "extra"}],
             "unimplied_edges": [{"source": "Sum", "target": "Odd"}]}  # fmt: skip
    plan = attainable(expected, entry, with_extra=False)
    assert plan.nodes == ["DocQA", "Sum", "Odd"] and plan.edges == {("DocQA", "Sum"), ("DocQA", "Odd")}
    assert "ASR" in attainable(expected, entry, with_extra=True).nodes
    assert edge_losses(expected, entry) == {"reachable": 2, "an end of class c": 1, "link not implied": 1}


@pytest.mark.skipif(not (DEFAULT_DATA / "samples.jsonl").is_file(), reason="planning-dev is not beside the clone")
def test_every_gold_tool_of_a_labelled_sample_has_one_class():
    samples = {}
    for position, line in enumerate((DEFAULT_DATA / "samples.jsonl").read_text().splitlines()):
        sample = json.loads(line)
        samples[sample["id"]] = (position, sample)
    for entry in json.loads(LABELS.read_text())["samples"]:
        position, sample = samples[entry["id"]]
        assert position % 2 == 0, "labels come from the tuning half only"
        expected = gold(sample)
        assert expected is not None
        labelled = {t["tool"] for t in entry["tools"] if t["class"] != "extra"}
        assert labelled == set(expected.nodes), entry["id"]
        assert {t["class"] for t in entry["tools"]} <= {"a", "b", "c", "unknown", "extra"}
