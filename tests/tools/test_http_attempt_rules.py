"""An agent's call has the attempts a plan's node with the same arguments has: every tool whose attempts
follow its call's arguments (http_request's method and Idempotency-Key) is read there by the very
``ToolSpec.attempts_for`` the plan's check reads, named in ``orchestra/agent/attempts.RULES``; every other
(a declared HTTP tool's method is its file's, an MCP tool's idempotency is its annotations') gives one
number for all its calls. A rule that reads arguments left out of RULES is read with none, a POST as a GET."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestra.agent.attempts import RULES, call_attempts, rule_of
from orchestra.mcp import tools as mcp_tools
from orchestra.mcp.config import McpServerDecl
from orchestra.registry import default_registry
from orchestra.tool_spec import ToolSpec
from orchestra.tools.described import load_tool_file

KEY = {"Idempotency-Key": "k"}
# Arguments as a model or a plan may give them, references unresolved included.
PROBES: list[Mapping[str, Any]] = [
    {}, {"method": "GET"}, {"method": "POST"}, {"method": "post", "headers": KEY}, {"method": "PATCH"},
    {"method": "DELETE"}, {"method": "${inputs.verb}"}, {"method": "POST", "headers": "${inputs.headers}"},
    {"method": "PUT", "headers": {"Idempotency-Key": 3}}, {"x": 1},
]  # fmt: skip


def plans_attempts(spec: ToolSpec, args: Mapping[str, Any]) -> int:
    """What a plan's node calling ``spec`` with ``args`` and no ``retry`` of its own gets (validation._execution)."""
    most = spec.attempts_for(args) if spec.attempts_for else None
    return min(spec.retry.max_attempts, most or spec.retry.max_attempts)


def specs(tmp_path: Path) -> list[ToolSpec]:
    declared = tmp_path / "tools.yaml"
    declared.write_text(
        "tools:\n  - {name: pay, kind: http, description: d, method: POST, url: 'http://127.0.0.1:9/pay'}\n"
        "  - {name: look, kind: http, description: d, method: GET, url: 'http://127.0.0.1:9/look'}\n"
        "  - {name: keyed, kind: http, description: d, method: POST, url: 'http://127.0.0.1:9/pay',"
        " headers: {Idempotency-Key: abc}}\n"
        "  - {name: run, kind: command, description: d, argv: [echo, hi]}\n"
    )
    server = McpServerDecl(kind="mcp", name="m", command=["true"])
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    listed = [
        {"name": name, "inputSchema": schema, "annotations": hints}
        for name, hints in [("plain", {}), ("read", {"readOnlyHint": True}), ("again", {"idempotentHint": True})]
    ]
    return [
        *(tool.spec for tool in default_registry()),
        *(tool.spec for tool in load_tool_file(declared)),
        *(mcp_tools.spec(server, raw) for raw in listed),
    ]


def test_every_tools_agent_calls_have_the_attempts_a_plans_calls_have(tmp_path):
    differ = [
        (spec.name, dict(args), call_attempts(*rule_of(spec), args), plans_attempts(spec, args))
        for spec in specs(tmp_path)
        for args in PROBES
        if call_attempts(*rule_of(spec), args) != plans_attempts(spec, args)
    ]
    assert not differ, differ
    # The rules that read arguments are RULES' own, the very functions the plan's check calls.
    reading = {spec.name for spec in specs(tmp_path) if spec.attempts_for in RULES.values()}
    assert reading == {"http_request"}, reading
    said = {spec.name: plans_attempts(spec, {}) for spec in specs(tmp_path) if spec.name.startswith("m.")}
    assert said == {"m.plain": 1, "m.read": 3, "m.again": 3}, said
