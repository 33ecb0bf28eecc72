"""bench.planning_edges' breakdown of the linking's errors: how the plan fed the step a wrong or lost edge ends
at, and the links a sample lists (``task_links``) read whatever their shape."""

from __future__ import annotations

from collections import Counter

from bench.planning_edges import LINK_ERRORS, link_errors, links_listed
from bench.planning_quality import Graph


def test_each_wrong_or_lost_edge_is_told_by_how_its_step_was_fed() -> None:
    gold = Graph(nodes=["ocr", "summarize", "answer", "speak", "caption", "similar"],
                 edges={("ocr", "summarize"), ("ocr", "answer"), ("summarize", "speak"), ("caption", "similar")})  # fmt: skip
    planned = Graph(nodes=["ocr", "summarize", "answer", "speak", "caption", "similar", "translate"],
                    edges={("ocr", "summarize"), ("summarize", "answer"), ("ocr", "caption"), ("answer", "similar"),
                           ("translate", "ocr")})  # fmt: skip
    assert Counter(link_errors(gold, planned)) == {
        LINK_ERRORS[0]: 2,  # summarize -> answer, answer -> similar: the gold feeds them from ocr, caption
        LINK_ERRORS[2]: 2,  # ocr -> answer, caption -> similar lost: the plan feeds them from other steps
        LINK_ERRORS[3]: 1,  # summarize -> speak lost: the plan feeds speak from no step
        LINK_ERRORS[4]: 1,  # ocr -> caption: the gold captions the user's picture
        LINK_ERRORS[6]: 1,  # translate -> ocr: translate is no gold tool
    }


def test_a_reversed_edge_and_a_fan_in_the_gold_lacks() -> None:
    gold = Graph(nodes=["asr", "summarize", "translate"], edges={("asr", "summarize")})
    planned = Graph(nodes=["asr", "summarize", "translate"],
                    edges={("summarize", "asr"), ("asr", "translate"), ("summarize", "translate")})  # fmt: skip
    assert Counter(link_errors(gold, planned)) == {
        LINK_ERRORS[1]: 1,  # summarize -> asr
        LINK_ERRORS[5]: 2,  # translate fed by two where the gold feeds it from the request
        LINK_ERRORS[3]: 1,  # asr -> summarize lost: summarize is fed by nothing
    }


def test_a_tool_not_planned_loses_its_edges_to_the_choice_of_tools() -> None:
    gold = Graph(nodes=["asr", "summarize"], edges={("asr", "summarize")})
    assert link_errors(gold, Graph(nodes=["summarize"])) == [LINK_ERRORS[7]]


def test_the_links_a_sample_lists_are_read_whatever_their_shape() -> None:
    sample = {
        "task_links": [
            {"source": "Image-to-Text", "target": "Question_Answering"},
            {"source": "Question Answering", "destination": "Translation"},
            {"source": 0, "target": 2, "label": "text"},
            {"source": "Translation", "target": "Translation", "label": "again"},
            "not a link",
        ]
    }
    nodes = ["Image-to-Text", "Question Answering", "Translation"]
    assert links_listed(sample, nodes) == {
        ("Image-to-Text", "Question Answering"),
        ("Question Answering", "Translation"),
        ("Image-to-Text", "Translation"),
    }
    assert links_listed({"task_links": "[]"}, nodes) == set()
