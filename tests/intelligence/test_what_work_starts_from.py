"""A clause that says only what the work starts from is no step (pass 18, docs/planning-passes.md).

"Using the caption 'a harbour at dawn', draw a picture": "using X" hands X to the work, it is no work
of its own (it put a captioner in front); "use this text to generate an image" still generates, and
"feel free to" is a lead-in like "please".
"""

from __future__ import annotations

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, clauses_read, tools_chosen


def test_using_something_hands_it_to_the_work():
    task = "Using the caption 'a harbour at dawn', draw a picture."
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    assert [(s.candidates[0], [d.value for d in s.data]) for s in steps] == [("text_to_image", ["a harbour at dawn"])]
    task = "Draw a picture. Feel free to use the caption 'a harbour at dawn' as the prompt."
    assert tools_chosen(task) == ["text_to_image"]


def test_use_then_a_verb_of_work_is_that_work():
    assert tools_chosen("Use the caption 'a harbour at dawn' to generate a picture.") == ["text_to_image"]
    assert clauses_read("Feel free to add some music. Using these measures, segment it.") == [
        ("add some music", True),
        ("Using these measures", False),
        ("segment it", True),
    ]
