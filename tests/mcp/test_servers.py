"""MCP servers as tool sources, without a workflow: listing (and its cache), the annotation mapping,
the schema check, the streamable-HTTP server through the network boundary, and every bad input with
its message — through the registry and through `client.py` (which refuses before anything starts)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from orchestra.registry import UnknownToolError
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.cli.cli import clean_env, run_client, run_here, use_env, write_plan
from tests.helpers import TEST_HOSTS, host_rule
from tests.mcp.support import FILES, NODE_MODULES, TIME, VENV, everything_over_http, mcp_registry, tool_file

CONTEXT = cast(ToolContext, None)  # MCP tools use the hub's confinement, not the context's


def settings(tmp_path: Path, hosts: list[str] = TEST_HOSTS) -> Settings:
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    return Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=hosts)


def test_tools_are_named_by_server_with_the_server_schema_and_annotations_mapped(tmp_path):
    registry = mcp_registry(settings(tmp_path), tool_file(tmp_path, TIME, FILES))
    assert {"time.get_current_time", "time.convert_time", "files.read_text_file"} <= {t.name for t in registry}
    now = registry.get("time.get_current_time").spec
    assert now.input_schema()["properties"]["timezone"]["type"] == "string"
    # readOnlyHint: no side effects, retried; destructiveHint: approval in agent mode; idempotentHint: retried.
    assert (now.side_effects, now.idempotent, now.requires_approval) == (False, True, False)
    write = registry.get("files.write_file").spec
    assert (write.side_effects, write.idempotent, write.requires_approval) == (True, True, True)
    assert registry.source_of("files.write_file") == "mcp: files" and registry.source_of("write_file") == "built-in"
    with pytest.raises(UnknownToolError, match="has no tool 'nope'; it has: convert_time, get_current_time"):
        registry.get("time.nope")


def test_arguments_are_checked_against_the_json_schema(tmp_path):
    registry = mcp_registry(settings(tmp_path), tool_file(tmp_path, TIME))
    model = registry.get("time.get_current_time").spec.input_model
    assert model.model_validate({"timezone": "UTC"}).model_dump() == {"timezone": "UTC"}
    with pytest.raises(ValueError) as caught:
        model.model_validate({"timezone": 3, "zone": "UTC"})
    errors = {(tuple(e["loc"]), e["msg"]) for e in caught.value.errors()}  # type: ignore[attr-defined]
    assert (("timezone",), 'the value at $.timezone breaks its schema\'s "type": "string"') in errors
    assert any("'zone' was unexpected" in msg for _, msg in errors), "a misspelt argument is refused"


def test_the_list_is_cached_for_refresh_s_and_asked_again_after(tmp_path):
    # A directory the servers need, which the test can take away: whether they start again is the proof.
    needed = tmp_path / "needed"
    needed.mkdir()
    entry = {**TIME, "read_only": [str(VENV), str(needed)]}
    cached_file = tool_file(tmp_path, {**entry, "refresh_s": 3600}, name="cached.yaml")
    fresh_file = tool_file(tmp_path, {**entry, "name": "fresh", "refresh_s": 0}, name="fresh.yaml")
    config = settings(tmp_path)
    first = mcp_registry(config, cached_file, fresh_file, refresh=False)
    assert {"time.get_current_time", "fresh.get_current_time"} <= {t.name for t in first}
    needed.rmdir()  # the servers cannot start any more
    again = mcp_registry(config, cached_file, fresh_file, refresh=False)
    assert "time.get_current_time" in again, "listed from the cache while younger than refresh_s"
    assert "fresh.get_current_time" not in again, "refresh_s: 0 asks the server every time"
    assert "read_only path" in (again.missing_reason("fresh.get_current_time") or "")
    forced = mcp_registry(config, cached_file, refresh=True)
    assert "time.get_current_time" not in forced, "--refresh does not read the cache"


def test_a_streamable_http_server_goes_through_the_network_boundary(tmp_path, monkeypatch):
    with everything_over_http() as url:
        entry = {"kind": "mcp", "name": "everything", "url": url, "headers": {"X-Token": "${secrets.MCP_TOKEN}"}}
        path = tool_file(tmp_path, entry)
        missing_secret = mcp_registry(settings(tmp_path, [host_rule(url)]), path)
        assert "secret 'MCP_TOKEN' is not set" in (missing_secret.missing_reason("everything.echo") or "")
        monkeypatch.setenv("ORCHESTRA_SECRET_MCP_TOKEN", "token-value-1234")
        refused = mcp_registry(settings(tmp_path, ["*"]), path)  # public addresses only: not loopback
        assert "everything.echo" not in refused
        assert "127.0.0.1" in (refused.missing_reason("everything.echo") or "")
        registry = mcp_registry(settings(tmp_path, [host_rule(url)]), path)

        async def calls() -> tuple[dict[str, Any], dict[str, Any]]:
            try:
                echo = registry.get("everything.echo")
                image = registry.get("everything.get-tiny-image")
                said = await echo.run(echo.spec.input_model.model_validate({"message": "hi there"}), CONTEXT)
                shown = await image.run(image.spec.input_model.model_validate({}), CONTEXT)
                return said.model_dump(by_alias=True), shown.model_dump(by_alias=True)
            finally:
                await registry.aclose()

        said, shown = asyncio.run(calls())
    assert "hi there" in said["text"]
    (picture,) = [item for item in shown["content"] if item["type"] == "image"]
    assert picture["mime_type"] == "image/png" and picture["bytes"] > 0 and picture["data"]


# --- bad input, through the CLI: exit 2 before anything starts -------------------------------------


def cli_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "workspace").mkdir(exist_ok=True)
    return clean_env(
        TEMPORAL_ADDRESS="127.0.0.1:1",  # nothing here needs the server
        ORCHESTRA_WORKSPACE=str(tmp_path / "workspace"),
        ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
    )


async def validate(tmp_path: Path, registry: Path, nodes: list[dict[str, Any]]) -> tuple[int, str]:
    plan = write_plan(tmp_path, {"name": "p", "nodes": nodes})
    result = await run_client("validate", "--plan", plan, "--registry", str(registry), env=cli_env(tmp_path))
    return result.code, result.out + result.err


async def test_a_call_that_breaks_the_schema_is_refused_before_start(tmp_path):
    code, text = await validate(tmp_path, tool_file(tmp_path, TIME), [
        {"id": "now", "tool": "time.get_current_time", "args": {"timezone": 3}},
        {"id": "other", "tool": "time.get_curent_time", "args": {}},
        {"id": "server", "tool": "clock.get_current_time", "args": {}},
    ])  # fmt: skip
    assert code == 2, text
    said = """node 'now': argument timezone for tool 'time.get_current_time': the value at $.timezone breaks its schema's"""
    assert f'{said} "type": "string"' in text, text
    assert "node 'other': unknown tool 'time.get_curent_time': MCP server 'time' has no tool 'get_curent_time'" in text
    assert "node 'server': unknown tool 'clock.get_current_time' (did you mean 'time.get_current_time'?)" in text


async def test_a_server_that_does_not_start_is_named_with_its_stderr(tmp_path):
    broken = {"kind": "mcp", "name": "db", "command": ["sh", "-c", "echo 'cannot open /data/db.sqlite' >&2; exit 3"]}
    path = tool_file(tmp_path, broken)
    code, text = await validate(tmp_path, path, [{"id": "q", "tool": "db.query", "args": {}}])
    assert code == 2, text
    assert "MCP server 'db' is unavailable" in text and "cannot open /data/db.sqlite" in text
    listing = await run_client("tools", "--registry", str(path), env=cli_env(tmp_path))
    assert listing.code == 1 and "cannot open /data/db.sqlite" in listing.err


async def test_a_failing_tools_list_and_unusable_entries_are_clear_errors(tmp_path, monkeypatch):
    # Answers the handshake, then exits on tools/list: a server whose listing fails.
    script = 'read a; echo \'{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"half","version":"1"}}}\'; read b; read c; echo "tools broke" >&2'
    half = {"kind": "mcp", "name": "half", "command": ["sh", "-c", script]}
    path = tool_file(tmp_path, half)
    listing = await run_client("tools", "--registry", str(path), env=cli_env(tmp_path))
    assert listing.code == 1 and "MCP server 'half' is unavailable" in listing.err, listing.err
    assert "tools broke" in listing.err
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "mcp", "name": "x"}, "give exactly one of 'command'"),
        ({"kind": "mcp", "name": "a.b", "command": ["true"]}, "field name"),
        ({"kind": "mcp", "name": "x", "url": "ftp://h/"}, "is not an http(s) URL"),
        ({"kind": "mcp", "name": "x", "command": ["true"], "headers": {"A": "b"}}, "headers: only for"),
        ({"kind": "mcp", "name": "x", "command": ["srv", "--token=${secrets.T}"]}, "secrets go in env"),
    ]
    use_env(monkeypatch, cli_env(tmp_path))
    for entry, message in cases:  # in this process: the same code as `client.py tools`, run as one above
        bad = tool_file(tmp_path, entry, name="bad.yaml")
        result = await run_here("tools", "--registry", str(bad), client=None)
        assert result.code == 2 and message in result.err, (entry, result.err)


async def test_name_collisions_are_refused(tmp_path):
    one = tool_file(tmp_path, TIME, name="one.yaml")
    two = tool_file(tmp_path, TIME, name="two.yaml")
    twice = await run_client("tools", "--registry", str(one), "--registry", str(two), env=cli_env(tmp_path))
    assert twice.code == 2 and "MCP server 'time' is also declared in" in twice.err, twice.err
    shadow = {"kind": "command", "name": "time.get_current_time", "description": "a clock", "argv": ["date"]}
    clash = tool_file(tmp_path, shadow, TIME, name="clash.yaml")
    result = await run_client("tools", "--registry", str(clash), env=cli_env(tmp_path))
    assert result.code == 1 and "has the name of a tool already registered" in result.err, result.err


async def test_client_tools_lists_mcp_tools_with_their_server(tmp_path):
    path = tool_file(tmp_path, TIME)
    table = await run_client("tools", "--registry", str(path), env=cli_env(tmp_path))
    assert table.code == 0, table.err
    row = next(line for line in table.out.splitlines() if line.startswith("time.get_current_time"))
    assert "mcp: time" in row
    listed = await run_client("tools", "--json", "--registry", str(path), env=cli_env(tmp_path))
    spec = next(t for t in listed.json if t["name"] == "time.convert_time")
    assert spec["server"] == "time" and spec["side_effects"] is False
    assert set(spec["input_schema"]["required"]) == {"source_timezone", "time", "target_timezone"}
    assert yaml.safe_load(path.read_text())["tools"][0]["name"] == "time"


async def test_plan_chooses_an_mcp_tool_for_a_task(tmp_path):
    path = tool_file(tmp_path, TIME)
    task = "get the current time in Asia/Tokyo and write it to tokyo.json"
    result = await run_client("plan", task, "--json", "--registry", str(path), env=cli_env(tmp_path))
    assert result.code in (0, 2), result.err  # 2: it needs an input (the time zone) to run
    nodes = {node["id"]: node for node in result.json["execution"]["plan"]["nodes"]}
    assert nodes["get"]["tool"] == "time.get_current_time"
    assert nodes["write"]["args"]["json"] == "${get.output.text}", "the MCP tool's output feeds the next step"


def test_a_stdio_server_gets_only_its_env_and_its_secrets_are_masked(tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_MCP_TOKEN", "s3cr3t-token-value")
    monkeypatch.setenv("WORKER_ONLY_VARIABLE", "the worker's own")
    entry = {
        "kind": "mcp", "name": "everything", "memory_mb": 2048,
        "command": [str(NODE_MODULES / ".bin" / "mcp-server-everything"), "stdio"], "read_only": [str(NODE_MODULES)],
        "env": {"API_TOKEN": "${secrets.MCP_TOKEN}", "MODE": "test"},
    }  # fmt: skip
    registry = mcp_registry(settings(tmp_path), tool_file(tmp_path, entry))

    async def env_of_server() -> dict[str, Any]:
        try:
            tool = registry.get("everything.get-env")
            output = await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
            return dict(output.model_dump(by_alias=True))
        finally:
            await registry.aclose()

    seen = asyncio.run(env_of_server())
    env = seen["json"]
    assert env["MODE"] == "test" and env["API_TOKEN"] == "***", "the secret reached the server, masked in the output"
    assert "s3cr3t-token-value" not in json.dumps(seen)
    assert "WORKER_ONLY_VARIABLE" not in env and not any(k.startswith("ORCHESTRA_") for k in env)


def test_a_worker_lists_again_on_demand_when_a_name_is_missing(tmp_path):
    path = tool_file(tmp_path, {**TIME, "refresh_s": 3600})
    config = settings(tmp_path)
    mcp_registry(config, path)  # the listing a worker finds in the cache at start
    registry = mcp_registry(config, path, refresh=False)
    registry.set_server_tools("time", [])  # as if the server had had no tools when it was listed

    async def plan_names_it() -> bool:
        try:
            await registry.refresh(["time.get_current_time"])  # what prepare_plan and run_tool do
            return "time.get_current_time" in registry
        finally:
            await registry.aclose()

    assert asyncio.run(plan_names_it()), "a name the list lacked made the worker ask the server again"
