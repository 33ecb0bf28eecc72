"""A tools file read back from the planning cache gives what reading the file gives: the same cards,
specs and plans; and a file with a problem is refused the same way on every read, never cached."""

from __future__ import annotations

import io
import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from orchestra import registry as registry_module
from orchestra.cli import invoke
from orchestra.cli.errors import EXIT_INVALID
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from orchestra.tools import described
from orchestra.tools.cleanup import with_support_tools
from orchestra.tools.tool_files import load_tool_file

VERBS = ["convert", "summarize", "translate", "resize", "geocode", "chart", "transcribe", "classify", "archive"]
NOUNS = {"invoice": "text", "photo": "image", "recording": "audio", "address": "location", "prices": "json",
         "article": "url", "ticket": "text", "report": "path", "video": "video"}  # fmt: skip
TASKS = [
    "summarize the article at https://example.com/news and translate the summary to French",
    "transcribe talk.wav, then classify the ticket it describes",
    "resize photo.jpg and archive the report to out.json",
    "geocode the address '10 Downing Street' and chart the prices",
    "teleport the cat, then convert the invoice",
]


def _tool(index: int) -> dict[str, Any]:
    """Tools of every shape the format has: GET with query and defaults, POST with a JSON body,
    commands with parsed JSON and declared outputs; optional, enum and array inputs."""
    verb, (noun, kind) = VERBS[index % len(VERBS)], list(NOUNS.items())[index % len(NOUNS)]
    base: dict[str, Any] = {
        "name": f"{verb}_{noun}_{index}",
        "description": f"{verb.capitalize()} the {noun} given as {kind} (variant {index}).",
        "input_types": [kind],
        "output_types": [NOUNS[list(NOUNS)[(index + 1) % len(NOUNS)]]],
        "inputs": {
            kind: {"type": "string", "description": f"the {noun}"},
            "level": {"type": "integer", "default": index % 4},
            "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
            "tags": {"type": "array", "items": "string", "required": False},
        },
    }
    if index % 5 == 0:
        base["capabilities"] = [verb, noun]
    shape = index % 3
    if shape == 0:
        return base | {"kind": "http", "url": f"https://api.example.com/{verb}/{{{{ {kind} }}}}",
                       "query": {"level": "{{ level }}", "tags": "{{ tags }}"}, "cost": 0.1 * (index % 4),
                       "outputs": {"result": {"type": "string", "description": f"the {verb}ed {noun}"}}}  # fmt: skip
    if shape == 1:
        return base | {"kind": "http", "method": "POST", "url": "https://api.example.com/jobs",
                       "json": {"input": f"{{{{ {kind} }}}}", "options": {"mode": "{{ mode }}"}},
                       "retry": {"max_attempts": 2}, "side_effects": index % 2 == 0}  # fmt: skip
    return base | {"kind": "command", "argv": ["echo", f"{{{{ {kind} }}}}", "{{ mode }}"], "parse_json": True,
                   "outputs": {"value": {"type": "string"}}, "timeout_s": 5}  # fmt: skip


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path / "data"))
    # Words only: the encoder would embed every card of the catalogue the first time (seconds), and reads
    # the same cards whichever way they were made.
    monkeypatch.setenv("ORCHESTRA_SEMANTIC", "0")
    # Over registry.DISK_INDEX_MIN_TOOLS: the index is stored and read back too.
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"tools": [_tool(i) for i in range(240)]}))
    return path


async def _read(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[str]]:
    """Every described tool's card (and the first 30 tools' specs: every shape, without building 240
    models), and the plans of TASKS, from a registry made anew."""
    monkeypatch.setattr(registry_module, "_INDEXES", {})  # the index comes from disk or is built, not kept
    registry = default_registry([path])
    with_support_tools(registry)
    plans = [(await plan_task(task, registry)).model_dump_json() for task in TASKS]
    from_file = [t for t in registry if registry.source_of(t.name) == "file"]
    tools = [t.card for t in from_file] + [t.spec.describe() for t in from_file[:30]]
    return tools, plans


async def test_a_cached_tools_file_plans_as_the_file_itself(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_PLANNING_CACHE", "0")
    uncached = await _read(catalogue, monkeypatch)
    monkeypatch.delenv("ORCHESTRA_PLANNING_CACHE")
    first = await _read(catalogue, monkeypatch)  # reads the file, stores what it found
    stored = tmp_path / "data" / "cache" / "planning"
    assert list(stored.glob("tools-*")) and list(stored.glob("index-*"))

    def never(*args: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(described, "read_tool_file", never)
    cached = await _read(catalogue, monkeypatch)
    assert cached == first == uncached
    used = {
        node["tool"] for plan in cached[1] for node in (json.loads(plan)["execution"]["plan"] or {}).get("nodes", [])
    }
    assert len(used - {"http_request", "write_file", "read_file"}) >= 5, used  # the plans use the catalogue's tools
    assert any(json.loads(plan)["execution"]["missing"] for plan in cached[1])  # and one says what is missing


def test_a_tool_is_built_only_when_used(catalogue: Path) -> None:
    load_tool_file(catalogue)
    tools = load_tool_file(catalogue)  # from the cache
    assert not any(t.built for t in tools)
    spec = tools[3].spec
    assert [t.built for t in tools[:5]] == [False, False, False, True, False]
    assert spec.input_model.model_validate({"location": "x"}).model_dump(by_alias=True)["level"] == 3


def test_a_declaration_that_is_not_plain_data_is_read_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "dated.yaml"  # a YAML date in a JSON body template: marshal cannot store it
    path.write_text("tools: [{name: since, kind: http, description: d, url: 'https://h/', json: {from: 2024-01-01}}]")
    first, again = load_tool_file(path), load_tool_file(path)
    assert first[0].card == again[0].card and again[0].spec.name == "since"
    assert not list((tmp_path / "data").glob("cache/planning/tools-*"))


@pytest.mark.parametrize(
    ("tools", "problem"),
    [
        ([{"name": "t", "kind": "http", "description": "d", "url": "https://h/{{ nope }}"}], "names no declared input"),
        ([{"name": "t", "kind": "http", "description": "d"}], "field url: Field required"),
        ([{"name": "t", "kind": "command", "description": "d", "argv": ["ls"], "cost": -1}], "field cost"),
    ],
)
async def test_a_bad_tools_file_is_refused_alike_on_every_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tools: list[dict[str, Any]], problem: str
) -> None:
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"tools": [_tool(1), *tools]}))
    messages = []
    for _ in range(2):
        with pytest.raises(ValueError) as info:
            load_tool_file(path)
        err = io.StringIO()
        code = await invoke(["plan", "convert the invoice", "--registry", str(path)], out=io.StringIO(), err=err)
        messages.append((str(info.value), code, err.getvalue()))
    assert messages[0] == messages[1]
    message, code, shown = messages[0]
    assert problem in message and "tool 't' (tools[1])" in message and code == EXIT_INVALID and message in shown
    assert not list((tmp_path / "data").glob("cache/planning/tools-*"))


GREET = {"name": "greet", "kind": "command", "description": "greet a person by name with echo",
         "argv": ["echo", "hello", "{{ who }}"], "inputs": {"who": {"type": "string", "description": "the person"}}}  # fmt: skip


@pytest.mark.parametrize(
    "alter",
    [
        # another tool behind the reviewed file's card: another program, options allowed
        lambda decl: decl | {"name": "other", "argv": ["rm", "-rf", "{{ who }}"], "allow_option_values": True},
        # a declaration the file's checks refuse (the program from a placeholder) that the schema accepts
        lambda decl: decl | {"argv": ["{{ who }}", "hello"]},
        lambda decl: b"\x00not marshal data",
    ],
)
def test_an_altered_cache_entry_never_builds_a_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alter: Any):
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "tools.json"
    path.write_text(json.dumps({"tools": [GREET]}))
    load_tool_file(path)  # read, checked, stored
    [entry] = (tmp_path / "data").rglob("tools-*.marshal")
    key, (rows, servers) = marshal.loads(entry.read_bytes())
    row = list(rows[0])
    altered = alter(marshal.loads(row[7]))
    row[7] = altered if isinstance(altered, bytes) else marshal.dumps(altered)
    entry.write_bytes(marshal.dumps((key, ([tuple(row)], servers))))
    [tool] = load_tool_file(path)
    assert tool.card.name == "greet"
    with pytest.raises(ValueError, match="'greet': its entry in the planning cache is damaged"):
        tool.spec  # noqa: B018 - building it is the point
