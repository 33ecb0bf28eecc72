"""bench.planning_quality's tool breakdown: a gold tool not planned is missed; a planned tool the gold lacks is
wrong where a gold tool was missed, an extra step where none was; tools outside the catalogue are not counted."""

from __future__ import annotations

from bench.planning_quality import Graph, node_errors

KNOWN = {"asr", "summarize", "translate", "tts", "caption"}


def test_a_tool_in_place_of_a_missed_one_is_wrong() -> None:
    gold = Graph(nodes=["asr", "summarize", "tts"])
    planned = Graph(nodes=["asr", "caption", "tts", "read file"])
    assert node_errors(gold, planned, KNOWN) == [("missed", "summarize"), ("wrong", "caption")]


def test_a_tool_beside_every_gold_one_is_an_extra_step() -> None:
    gold = Graph(nodes=["summarize"])
    planned = Graph(nodes=["summarize", "translate", "translate"])
    assert node_errors(gold, planned, KNOWN) == [("extra step", "translate")]
    assert node_errors(gold, Graph(nodes=["summarize"]), KNOWN) == []
