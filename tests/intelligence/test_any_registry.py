"""The offline planner with registries it was not written for: a travel catalogue without capabilities,
requests with lead-ins and context, a sub-goal no tool serves; the README's tasks keep their plans;
the index is cached by content; described tools are built only when used."""

from __future__ import annotations

import json
import shutil
from dataclasses import astuple
from pathlib import Path

from orchestra import registry as registry_module
from orchestra.analysis import analyse_heuristic
from orchestra.planning.pipeline import plan_task
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import ToolCard
from orchestra.tools.described import load_tool_file

TRAVEL = Path(__file__).with_name("travel_tools.yaml")

# The plans main produced for the README's two tasks before the planner was rewritten (node id,
# tool, args, depends_on): parallel downloads, one extraction per page, one write collecting them;
# downloads written to a .json file are written parsed when they are JSON (``a || b``: the first that is set).
README_PLANS = {
    "download http://127.0.0.1:8000/a http://127.0.0.1:8000/b, extract the titles and write them to titles.json": [
        ["download_1", "http_request", {"url": "http://127.0.0.1:8000/a"}, []],
        ["download_2", "http_request", {"url": "http://127.0.0.1:8000/b"}, []],
        ["extract_1", "extract_text", {"mode": "html_title", "text": "${download_1.output.text}"}, []],
        ["extract_2", "extract_text", {"mode": "html_title", "text": "${download_2.output.text}"}, []],
        ["write", "write_file", {"json": ["${extract_1.output.first}", "${extract_2.output.first}"],
                                 "path": "titles.json"}, []],
    ],
    "download http://127.0.0.1:8234/api/status.json and http://127.0.0.1:8234/api/releases.json, then write "
    "them to info.json": [
        ["download_1", "http_request", {"url": "http://127.0.0.1:8234/api/status.json"}, []],
        ["download_2", "http_request", {"url": "http://127.0.0.1:8234/api/releases.json"}, []],
        ["write", "write_file", {"json": ["${download_1.output.json || download_1.output.text}",
                                          "${download_2.output.json || download_2.output.text}"],
                                 "path": "info.json"}, []],
    ],
}  # fmt: skip


async def test_readme_tasks_keep_their_plans():
    for task, expected in README_PLANS.items():
        result = await plan_task(task, default_registry())
        plan = result.execution.plan
        assert plan is not None, task
        assert [[n.id, n.tool, n.args, n.depends_on] for n in plan.nodes] == expected, task


async def _tools(task: str) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, default_registry([TRAVEL]))
    assert result.execution.plan is not None, result.execution.problems
    return [(n.tool, n.args) for n in result.execution.plan.nodes]


async def test_a_catalogue_without_capabilities_is_searched_by_its_descriptions():
    assert await _tools("Could you help me find flights from 'Paris' to 'Rome'? Thanks!") == [
        ("search_flights", {"origin": "Paris", "destination": "Rome"})
    ]


async def test_context_is_not_a_step_and_data_flows_by_type():
    tools = await _tools(
        "I'm going to Lisbon next week. Please get the weather forecast for 'Lisbon' and then suggest what to pack."
    )
    (weather, weather_args), (packing, packing_args) = tools
    assert (weather, weather_args) == ("destination_weather", {"city": "Lisbon"})
    assert packing == "packing_list" and packing_args == {"forecast": "${get.output.json.forecast}"}


async def test_an_unserviceable_sub_goal_is_listed_and_the_rest_is_planned():
    result = await plan_task(
        "Book a hotel in 'Rome' for 3 nights and teleport my luggage there.", default_registry([TRAVEL])
    )
    execution = result.execution
    assert execution.plan is not None and [n.tool for n in execution.plan.nodes] == ["book_hotel"]
    (missing,) = execution.missing
    assert "teleport my luggage" in missing and "creation required" in missing


async def test_a_step_fed_by_a_missing_one_asks_for_that_input_instead_of_writing_nothing():
    result = await plan_task("teleport the cat, then write it to cat.txt", default_registry())
    plan = result.execution.plan
    assert plan is not None and "teleport" in result.execution.missing[0]
    (write,) = plan.nodes
    assert write.args == {"path": "cat.txt", "content": "${inputs.write_file_content}"}
    assert result.execution.missing_inputs == ["write_file_content"]


def test_lead_ins_and_questions_to_the_assistant_are_not_work():
    registry = default_registry([TRAVEL])
    analysis = analyse_heuristic(
        'Hi! I was wondering if you could convert "120" EUR to USD for me. What do you think?', registry
    )
    assert [s.candidates[0] for s in analysis.steps] == ["convert_currency"]


def test_index_is_cached_by_content(tmp_path: Path):
    copy = tmp_path / "travel.yaml"
    shutil.copy(TRAVEL, copy)
    first, second = default_registry([TRAVEL]), default_registry([copy])
    assert first.fingerprint() == second.fingerprint() and first.index() is second.index()
    changed = tmp_path / "changed.yaml"
    changed.write_text(TRAVEL.read_text().replace("Reserve a hotel room", "Reserve a room"))
    assert default_registry([changed]).index() is not first.index()


def test_described_tools_are_built_only_when_used(tmp_path: Path):
    tools = load_tool_file(TRAVEL)
    assert not any(t.built for t in tools)
    assert {t.card.name for t in tools} >= {"book_hotel", "search_flights"}
    flights = next(t for t in tools if t.name == "search_flights")
    assert flights.card.inputs[0].name == "origin" and not flights.built
    assert "origin" in flights.spec.input_model.model_json_schema()["required"] and flights.built


def test_bench_converter_makes_a_loadable_registry(tmp_path: Path):
    from bench.planning_quality import gold, prediction, registry_document

    desc = {"nodes": [{"id": "Image Captioning", "desc": "Describe an image in words.", "input-type": ["image"],
                       "output-type": ["text"]},
                      {"id": "Text-to-Speech", "desc": "Read text aloud.", "input-type": ["text"],
                       "output-type": ["audio"]}]}  # fmt: skip
    path = tmp_path / "tools.json"
    path.write_text(json.dumps(registry_document(desc)))
    registry = default_registry([path])
    assert "Image_Captioning" in registry
    sample = {"task_nodes": [{"task": "Image Captioning", "arguments": ["a.jpg"]},
                             {"task": "Text-to-Speech", "arguments": ["<node-0>"]}]}  # fmt: skip
    expected = gold(sample)
    assert expected is not None and expected.edges == {("Image Captioning", "Text-to-Speech")}
    plan = {"nodes": [{"id": "c", "tool": "Image_Captioning", "args": {"image": "a.jpg"}},
                      {"id": "s", "tool": "Text-to-Speech", "args": {"text": "${c.output.json.text}"}}]}  # fmt: skip
    assert prediction(plan).edges == expected.edges


async def test_an_input_named_by_a_word_for_its_kind_takes_data_of_that_kind(tmp_path: Path):
    tools = tmp_path / "photos.yaml"
    tools.write_text(
        "version: 1\ntools:\n  - {name: archive_photos, kind: http, description: Archive photos to cold storage., "
        "input_types: [image], output_types: [url], method: POST, url: 'https://p.example.com/a', "
        "json: {photo: '{{ photo }}'}, inputs: {photo: {type: string, description: what to archive}}}\n"
    )
    result = await plan_task("Archive holiday.jpg", default_registry([tools]))
    assert result.execution.plan is not None
    assert [n.args for n in result.execution.plan.nodes] == [{"photo": "holiday.jpg"}]


def test_a_fingerprint_taken_while_a_servers_tools_are_swapped_is_of_one_list_and_not_kept(monkeypatch):
    """An MCP refresh swaps a server's tools in on the event loop while a planner pass, in its thread, takes
    the fingerprint: read across the swap it failed on a tool gone (KeyError), or was kept for tools it was
    not of, and the planner searched the index of a list the servers no longer offered."""
    builtin = {tool.name: tool for tool in default_registry()}
    registry = ToolRegistry()
    registry.set_server_tools("s", [builtin["read_file"], builtin["write_file"]])
    swapped: list[bool] = []

    def swapping(card: ToolCard) -> tuple[object, ...]:
        if not swapped:  # the refresh lands while the digest is being made
            swapped.append(True)
            registry.set_server_tools("s", [builtin["read_file"]])
        return astuple(card)

    monkeypatch.setattr(registry_module, "astuple", swapping)
    registry.fingerprint()
    monkeypatch.undo()
    alone = ToolRegistry()
    alone.set_server_tools("s", [builtin["read_file"]])
    assert swapped and registry.fingerprint() == alone.fingerprint()
