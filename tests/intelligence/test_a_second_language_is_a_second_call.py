"""A clause that asks the step before's work into another language is a second call, not the first said again:
"Summarize notes.txt, make it a detailed description in English, then translate it into French" was planned as
one translation into English, the French dropped in silence (the translation said again, as far as the
restatement rule could tell). Requests written for these tests, with a catalogue in the words of public
tool-planning benchmarks, whose translator takes the language to translate into."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

CATALOGUE = """\
version: 1
tools:
  - name: Translation
    kind: http
    description: Translation is the task of converting text from one language to another.
    input_types: [text]
    output_types: [text]
    method: POST
    url: https://m.example.com/tr
    json: {text: "{{ text }}", language: "{{ language }}"}
    inputs: {text: {type: string}, language: {type: string, description: the language to translate into}}
  - name: Summarization
    kind: http
    description: >-
      Summarization is the task of producing a shorter version of a document while preserving its important
      information.
    input_types: [text]
    output_types: [text]
    method: POST
    url: https://m.example.com/sum
    json: {text: "{{ text }}"}
    inputs: {text: {type: string}}
"""


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "tools.yaml"
    path.write_text(CATALOGUE)
    return path


@pytest.mark.parametrize(
    ("task", "languages"),
    [
        (
            "Summarize notes.txt, make it a detailed description in English, then translate it into French.",
            ["en", "fr"],
        ),
        (
            "Summarize notes.txt, make it a detailed description in German, then translate it into Italian.",
            ["de", "it"],
        ),
        (
            "Summarize notes.txt. Make it a detailed description in English and then translate it into Spanish.",
            ["en", "es"],
        ),
        ("Translate notes.txt into English and then translate it into French.", ["en", "fr"]),
    ],
)
async def test_another_language_after_one_is_a_second_translation(
    task: str, languages: list[str], catalogue: Path
) -> None:
    result = await plan_task(task, default_registry([catalogue]))
    plan = result.execution.plan
    assert plan is not None
    calls = [n for n in plan.nodes if n.tool == "Translation"]
    assert [n.args["language"] for n in calls] == languages
    assert calls[1].args["text"].startswith(f"${{{calls[0].id}.output")  # the second is of the first one's text


async def test_the_same_language_said_again_is_no_second_call(catalogue: Path) -> None:
    """ "... into French, and give me the French text": one translation, as before."""
    result = await plan_task(
        "Translate notes.txt into French and give me the French text.", default_registry([catalogue])
    )
    plan = result.execution.plan
    assert plan is not None
    assert [n.args.get("language") for n in plan.nodes if n.tool == "Translation"] == ["fr"]


@pytest.mark.parametrize(
    ("task", "language"),
    [
        ("Translate notes.txt and give me the translation in French.", "fr"),
        ("Translate notes.txt, then give me the translation in German.", "de"),
        ("Translate 'good morning' and give me the translation in Spanish.", "es"),
    ],
)
async def test_a_language_said_of_the_step_befores_result_is_that_steps(
    task: str, language: str, catalogue: Path
) -> None:
    """The translation said again with the language its step was not told: that language, not one asked for."""
    result = await plan_task(task, default_registry([catalogue]))
    plan = result.execution.plan
    assert plan is not None
    assert [n.args.get("language") for n in plan.nodes if n.tool == "Translation"] == [language]
    assert not result.execution.missing_inputs


async def test_a_language_no_step_can_make_is_said(catalogue: Path) -> None:
    """ "Summarize notes.txt and give me the summary in French" with no step told to make French: the note says
    so, the French is not dropped in silence."""
    task = "Summarize notes.txt and give me the summary in French."
    notes = (await plan_task(task, default_registry([catalogue]))).analysis.notes
    assert any("translate it into French" in note for note in notes), notes
