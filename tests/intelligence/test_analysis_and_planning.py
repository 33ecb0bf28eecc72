"""Heuristic analysis and planning, as pure code: DAG shapes, chaining by data type, fan-out, risks."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import TaskComplexity, analyse_heuristic
from orchestra.analysis.models import DependencyKind, TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

THIRD_PARTY = Path(__file__).resolve().parents[2] / "examples" / "tools" / "third_party.yaml"
URLS = ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b", "http://127.0.0.1:9/c"]
TITLES_TASK = f"download these three URLs {' '.join(URLS)}, extract the titles and write them to titles.json"


async def test_titles_task_gives_parallel_downloads_then_per_item_extraction_then_one_write():
    registry = default_registry()
    result = await plan_task(TITLES_TASK, registry)
    plan = result.execution.plan
    assert plan is not None and not result.execution.problems
    prepared = prepare_plan(plan, registry)
    downloads = [n for n in plan.nodes if n.tool == "http_request"]
    extracts = [n for n in plan.nodes if n.tool == "extract_text"]
    writes = [n for n in plan.nodes if n.tool == "write_file"]
    assert [n.args["url"] for n in downloads] == URLS
    assert prepared.phases[0] == [n.id for n in downloads], "the three downloads are parallel"
    for download, extract in zip(downloads, extracts, strict=True):
        assert prepared.deps[extract.id] == [download.id] and extract.args["mode"] == "html_title"
    (write,) = writes
    assert write.args["path"] == "titles.json"
    assert sorted(prepared.deps[write.id]) == sorted(n.id for n in extracts)
    assert write.compensation is not None and write.compensation.tool == "delete_file"
    assert (
        plan.compensate_on_failure and plan.timeout_s and plan.timeout_s >= 1.5 * result.execution.estimated_duration_s
    )
    assert result.analysis.complexity == TaskComplexity.MODERATE
    kinds = {d.kind for d in result.analysis.dependencies}
    assert {DependencyKind.DATA, DependencyKind.SERVICE, DependencyKind.RESOURCE} <= kinds
    assert any(s.width == 3 for s in result.analysis.parallelizable_segments)
    assert "side_effects:write" in result.analysis.risk_factors
    assert [p.parallel_execution for p in result.execution.phases] == [True, True, False]
    ft = result.execution.fault_tolerance
    assert ft is not None and ft.phase_strategies[-1].rollback_plan == ["write: delete_file"]


def test_urls_given_at_the_end_still_feed_the_downloads():
    analysis = analyse_heuristic(
        f"download these three URLs, extract the titles and write them to titles.json: {' '.join(URLS)}",
        default_registry(),
    )
    download = analysis.steps[0]
    assert [d.value for d in download.data] == URLS and download.fan_out
    assert analysis.steps[-1].aggregate


def test_complexity_follows_the_seed_thresholds():
    assert TaskComplexity.from_score(0.1) == TaskComplexity.SIMPLE
    assert TaskComplexity.from_score(0.3) == TaskComplexity.MODERATE
    assert TaskComplexity.from_score(0.7) == TaskComplexity.COMPLEX
    assert TaskComplexity.from_score(0.8) == TaskComplexity.VERY_COMPLEX


async def test_third_party_registry_loads_and_plans_chain_by_data_type():
    registry = default_registry([THIRD_PARTY])
    assert len(registry) >= 40
    result = await plan_task("summarize report.txt and email the summary to bob@example.com", registry)
    plan = result.execution.plan
    assert plan is not None
    tools = [n.tool for n in plan.nodes]
    # path -> read_file (added: summarize_text takes text) -> text -> summarize_text -> summary -> send_email
    assert tools == ["read_file", "summarize_text", "send_email"]
    read, summarize, email = plan.nodes
    assert summarize.args["text"] == f"${{{read.id}.output.content}}"
    assert email.args["to"] == ["bob@example.com"]
    assert any("summarize" in a for a in email.args.values() if isinstance(a, str))
    assert "send_email_api_key" in result.execution.missing_inputs
    assert any("added step" in note for note in result.analysis.notes)


async def test_outputs_bind_to_inputs_of_the_same_name():
    registry = default_registry([THIRD_PARTY])
    result = await plan_task("geocode '10 Downing Street, London', then get the weather forecast there", registry)
    plan = result.execution.plan
    assert plan is not None
    geocode, weather = plan.nodes
    assert geocode.tool == "geocode_address" and geocode.args["address"] == "10 Downing Street, London"
    assert weather.tool in ("weather_forecast", "current_weather")
    assert weather.args["lat"] == f"${{{geocode.id}.output.json.lat}}"
    assert weather.args["lon"] == f"${{{geocode.id}.output.json.lon}}"


def test_ordering_words_and_independent_steps():
    registry = default_registry()
    analysis = analyse_heuristic("read notes.txt and list files in data/", registry)
    assert [s.depends_on for s in analysis.steps] == [[], []], "no ordering word, no shared data: parallel"
    analysis = analyse_heuristic("read notes.txt, then list files in data/", registry)
    assert analysis.steps[1].depends_on == [analysis.steps[0].id]
    assert any(d.kind == DependencyKind.ORDERING for d in analysis.dependencies)
    analysis = analyse_heuristic("write the text to out.txt after reading notes.txt", registry)
    assert [s.candidates[0] for s in analysis.steps] == ["read_file", "write_file"]


async def test_unknown_action_is_reported_as_creation_required_not_dropped():
    # Changed with the registry-driven planner: the unserved step no longer sinks the plan; it is
    # listed as missing, and the write it fed asks for its content as a plan input.
    result = await plan_task("teleport the cat, then write it to cat.txt", default_registry())
    (missing,) = [s for s in result.selections if s.selected is None]
    assert missing.capability == "teleport" and "creation required" in missing.reason
    assert result.execution.plan is not None and "teleport" in result.execution.missing[0]


def test_empty_or_actionless_task_is_a_clear_error():
    with pytest.raises(TaskAnalysisError, match="empty"):
        analyse_heuristic("  ", default_registry())
    with pytest.raises(TaskAnalysisError, match="no action"):
        analyse_heuristic("the three big ones", default_registry())


@pytest.mark.parametrize("task", ["3 pages summary please", "2x upscale of photo.jpg", "1st draft of notes.txt"])
def test_a_step_named_after_a_number_still_gets_an_identifier(task):
    """Step ids are named after the clause's first word; a number is not an identifier (it crashed the
    planner with a validation error)."""
    steps = analyse_heuristic(task, default_registry()).steps
    assert steps and all(s.id.isidentifier() and s.id.isascii() for s in steps), [s.id for s in steps]


def test_complexity_grows_with_what_the_task_asks():
    registry = default_registry()
    simple = analyse_heuristic("read notes.txt", registry)
    moderate = analyse_heuristic(
        f"download {URLS[0]} {URLS[1]} {URLS[2]}, extract the titles and write them to titles.json", registry
    )
    big = analyse_heuristic(
        "for each of http://h/1 http://h/2 http://h/3 http://h/4 http://h/5 http://h/6: download it, extract the "
        "title, render a report, then write report.md, then run `wc -l report.md` and post it to http://127.0.0.1:9/hook",
        registry,
    )
    assert simple.complexity_score < moderate.complexity_score < big.complexity_score
    assert simple.complexity == TaskComplexity.SIMPLE
    assert big.complexity in (TaskComplexity.COMPLEX, TaskComplexity.VERY_COMPLEX)
    assert simple.estimated_duration_s < big.estimated_duration_s
