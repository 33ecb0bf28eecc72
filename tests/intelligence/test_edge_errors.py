"""bench.planning_quality's edge breakdown: a wrong edge between two gold tools is told from one that
follows from a tool the gold plan lacks, and a lost edge between two planned tools from one lost with
its tool."""

from __future__ import annotations

from collections import Counter

from bench.planning_quality import Graph, edge_errors


def test_edges_are_sorted_by_whether_their_tools_are_gold() -> None:
    gold = Graph(nodes=["asr", "summarize", "translate", "tts"],
                 edges={("asr", "summarize"), ("summarize", "translate"), ("translate", "tts")})  # fmt: skip
    planned = Graph(nodes=["asr", "summarize", "translate", "caption"],
                    edges={("asr", "summarize"), ("translate", "summarize"), ("asr", "translate"),
                           ("caption", "translate")})  # fmt: skip
    assert Counter(edge_errors(gold, planned)) == {
        "found": 1,
        "wrong: both tools gold, reversed": 1,
        "wrong: both tools gold, no such gold edge": 1,
        "wrong: a tool not gold": 1,
        "lost: both tools planned": 1,
        "lost: a tool not planned": 1,
    }
