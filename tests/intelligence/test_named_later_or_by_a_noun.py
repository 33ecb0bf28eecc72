"""Which tool serves a sub-goal when its words alone do not tell (pass 39 of the offline planner): a tool
the next clause names as this step's work ("translate its classification") wins a tie of words lost only
to another tool's name; and a tool found by a noun, for work no tool says ("Book a table for two": a
table classifier), serves nothing when nothing in the request is what it takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import MEDIA, tools_chosen
from tests.intelligence.test_named_back import LOOKERS
from tests.intelligence.test_which_work import MORE


@pytest.fixture
def lookers(tmp_path: Path) -> ToolRegistry:
    tools = tmp_path / "lookers.yaml"
    tools.write_text(LOOKERS)
    return default_registry([tools])


@pytest.fixture
def with_a_table_classifier(tmp_path: Path) -> ToolRegistry:
    tools = tmp_path / "more_media.yaml"
    tools.write_text(MEDIA.read_text() + MORE)
    return default_registry([tools])


def test_a_tool_the_next_clause_names_wins_a_tie_of_words(lookers: ToolRegistry) -> None:
    # both tools say "Analyze a picture"; "Analyze" in one's name ranked the other at 0.46 of it, under the
    # beam's 0.5, so "its classification" could not name the classifier (before: analyze_picture)
    task = "Analyze the photo 'pet.jpg', then translate its classification into Spanish."
    assert tools_chosen(task, lookers) == ["picture_classification", "translate_text"]
    # naming no work of the step before, the clause leaves it to its own words
    plain = "Analyze the photo 'pet.jpg', then translate it into Spanish."
    assert tools_chosen(plain, lookers) == ["analyze_picture", "translate_text"]


def test_a_tool_found_by_a_noun_of_work_no_tool_does_is_missing(with_a_table_classifier: ToolRegistry) -> None:
    # before: the table classifier, by "table" (words and meaning), asked the user for a picture of a table
    assert tools_chosen("Book a table for two", with_a_table_classifier) == ["-"]
    assert tools_chosen("Reserve a table for two at 8pm", with_a_table_classifier) == ["-"]
    # the work it does, or a picture to do it on, still finds it
    assert tools_chosen("Classify the table", with_a_table_classifier) == ["tabular_classification"]
    assert tools_chosen("Classify the table in scan.jpg", with_a_table_classifier) == ["tabular_classification"]


BILLING = """\
version: 1
tools:
  - {name: invoice, kind: http, description: Invoice generator. Produces a PDF invoice for a customer., input_types: [customer], output_types: [pdf], method: POST, url: "https://b.example.com/invoice", json: {customer: "{{ customer }}"}, inputs: {customer: {type: string}}}
"""


def test_a_tool_named_by_the_noun_asked_for_and_fed_by_a_value_is_kept(tmp_path: Path) -> None:
    # an invoice tool takes a customer, a kind of its own the user is asked for: its noun is what the user
    # wants, not a coincidence (found by attack46; before: "No suitable tool found", no plan)
    tools = tmp_path / "billing.yaml"
    tools.write_text(BILLING)
    for task in ("Draft an invoice for ACME", "Prepare an invoice", "Issue an invoice to ACME"):
        assert tools_chosen(task, tools) == ["invoice"], task
