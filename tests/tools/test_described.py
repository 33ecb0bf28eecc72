from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from orchestra.errors import ToolError, ToolValidationError
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools.builtin import builtin_tools
from orchestra.tools.described import load_tool_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tools" / "third_party.yaml"


def write(tmp_path: Path, text: str, name: str = "tools.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


async def call(tool: Tool, ctx: ToolContext, **args: object) -> dict[str, Any]:
    model = tool.spec.input_model.model_validate(args)
    result = await tool.run(model, ctx)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


@pytest.fixture
def http_tools(tmp_path: Path, http_base: str) -> dict[str, Tool]:
    path = write(
        tmp_path,
        f"""
        tools:
          - name: echo_api
            kind: http
            description: Posts to the echo endpoint.
            capabilities: [echo, test]
            input_types: [text]
            output_types: [json]
            cost: 0.5
            method: POST
            url: "{http_base}/echo/{{{{ item }}}}"
            headers:
              Authorization: "Bearer {{{{ token }}}}"
            query:
              q: "{{{{ query }}}}"
              tag: "{{{{ tags }}}}"
              opt: "{{{{ maybe }}}}"
            json:
              count: "{{{{ count }}}}"
              greeting: "hello {{{{ query }}}}"
              nested: {{flag: "{{{{ flag }}}}", missing: "{{{{ maybe }}}}"}}
            secret_args: [token]
            inputs:
              item: {{type: string, description: path segment}}
              query: {{type: string}}
              count: {{type: integer, default: 2}}
              flag: {{type: boolean, default: false}}
              tags: {{type: array, items: string, default: []}}
              maybe: {{type: string, required: false}}
              token: {{type: string}}
              mode: {{type: string, enum: [fast, slow], default: fast}}
          - name: hello_api
            kind: http
            description: Gets a JSON greeting.
            url: "{http_base}/json"
            outputs:
              hello: {{type: string}}
              n: {{type: integer}}
          - name: strict_api
            kind: http
            description: Declares an output the endpoint does not return.
            url: "{http_base}/json"
            outputs:
              missing_field: {{type: string}}
          - name: missing_api
            kind: http
            description: A 404.
            url: "{http_base}/notfound"
        """,
    )
    return {tool.name: tool for tool in load_tool_file(path)}


async def test_http_tool(ctx: ToolContext, http_tools: dict[str, Tool]) -> None:
    tool = http_tools["echo_api"]
    assert tool.spec.cost == 0.5
    assert tool.spec.secret_args == ["token"]
    assert tool.spec.capabilities == ["echo", "test"]
    out = await call(tool, ctx, item="a b/c", query="x&y", token="t0k", tags=["p", "q"], flag=True)
    echoed = out["json"]
    assert echoed["method"] == "POST"
    assert echoed["path"] == "/echo/a%20b%2Fc"  # placeholders are URL-encoded in the URL
    assert echoed["query"] == {"q": ["x&y"], "tag": ["p", "q"]}  # the omitted optional 'maybe' is dropped
    assert echoed["headers"]["authorization"] == "Bearer t0k"
    assert json.loads(echoed["body"]) == {"count": 2, "greeting": "hello x&y", "nested": {"flag": True}}


def test_http_tool_input_model(http_tools: dict[str, Tool]) -> None:
    model = http_tools["echo_api"].spec.input_model
    schema = model.model_json_schema()
    assert set(schema["required"]) == {"item", "query", "token"}
    assert schema["properties"]["item"]["description"] == "path segment"
    assert schema["additionalProperties"] is False
    with pytest.raises(ValidationError):
        model.model_validate({"item": "a", "query": "q", "token": "t", "unknown": 1})
    with pytest.raises(ValidationError):
        model.model_validate({"item": "a", "query": "q", "token": "t", "mode": "medium"})
    with pytest.raises(ValidationError):
        model.model_validate({"item": "a", "query": "q", "token": "t", "count": "many"})


async def test_http_tool_declared_outputs(ctx: ToolContext, http_tools: dict[str, Tool]) -> None:
    tool = http_tools["hello_api"]
    out = await call(tool, ctx)
    assert out["json"] == {"hello": "world", "n": 1}
    schema = tool.spec.output_schema() or {}
    assert "status" in schema["properties"]
    result_schema = next(iter(schema["$defs"].values()))
    assert set(result_schema["required"]) == {"hello", "n"}
    with pytest.raises(ToolError) as info:
        await call(http_tools["strict_api"], ctx)
    assert info.value.code == "output_mismatch"


async def test_http_tool_errors_and_confinement(ctx: ToolContext, http_tools: dict[str, Tool]) -> None:
    with pytest.raises(ToolError) as info:
        await call(http_tools["missing_api"], ctx)
    assert info.value.code == "http_404"
    assert info.value.retryable is False


async def test_http_tool_host_allowlist(ctx: ToolContext, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        tools:
          - {name: elsewhere, kind: http, description: d, url: "https://api.example.com/v1/{{ id }}", inputs: {id: {}}}
        """,
    )
    (tool,) = load_tool_file(path)
    with pytest.raises(ToolValidationError) as info:
        await call(tool, ctx, id="1")
    assert info.value.code == "host_not_allowed"


@pytest.fixture
def command_tools(tmp_path: Path) -> dict[str, Tool]:
    path = write(
        tmp_path,
        """
        tools:
          - name: say
            kind: command
            description: Echo words.
            capabilities: [echo]
            argv: [echo, "--", "{{ words }}", "n={{ n }}", "{{ extra }}"]
            inputs:
              words: {type: array, items: string}
              n: {type: integer, default: 1}
              extra: {type: string, required: false}
          - name: emit_json
            kind: command
            description: Print JSON.
            argv: [echo, '{"name": "{{ name }}", "size": 3}']
            parse_json: true
            inputs:
              name: {type: string}
            outputs:
              name: {type: string}
              size: {type: integer}
          - name: not_json
            kind: command
            description: Prints text but claims JSON.
            argv: [echo, "plain"]
            parse_json: true
          - name: count_words
            kind: command
            description: wc on stdin.
            argv: [wc, -w]
            stdin: "{{ text }}"
            inputs:
              text: {type: string}
          - name: forbidden
            kind: command
            description: Not an allowed program.
            argv: [rm, "{{ path }}"]
            inputs:
              path: {type: string}
        """,
        name="commands.yml",
    )
    return {tool.name: tool for tool in load_tool_file(path)}


async def test_command_tool(ctx: ToolContext, command_tools: dict[str, Tool]) -> None:
    out = await call(command_tools["say"], ctx, words=["a", "b c"], n=5)
    assert out["stdout"] == "-- a b c n=5\n"  # echo prints '--'; the list filled two slots; 'extra' was dropped
    assert out["exit_code"] == 0
    assert "json" not in out


async def test_command_tool_refuses_option_like_values(ctx: ToolContext, command_tools: dict[str, Tool]) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(command_tools["say"], ctx, words=["ok"], extra="--output=/tmp/x")
    assert info.value.code == "option_value"


async def test_command_tool_parse_json(ctx: ToolContext, command_tools: dict[str, Tool]) -> None:
    out = await call(command_tools["emit_json"], ctx, name="box")
    assert out["json"] == {"name": "box", "size": 3}
    with pytest.raises(ToolError) as info:
        await call(command_tools["not_json"], ctx)
    assert info.value.code == "bad_json"


async def test_command_output_nested_deeper_than_the_parser_goes_is_bad_json_not_a_retried_error(
    ctx: ToolContext, tmp_path: Path
) -> None:
    """json.loads raised RecursionError, past ``except ValueError``: the activity failed as a system error
    and was retried, running the command again each time."""
    deep = "[" * 5_000 + "]" * 5_000
    path = write(
        tmp_path,
        f"tools:\n  - {{name: deep, kind: command, description: d, argv: [echo, '{deep}'], parse_json: true}}\n",
    )
    (tool,) = load_tool_file(path)
    with pytest.raises(ToolError) as info:
        await call(tool, ctx)
    assert info.value.code == "bad_json" and not info.value.retryable and "nested deeper" in str(info.value)


async def test_command_tool_stdin(ctx: ToolContext, command_tools: dict[str, Tool]) -> None:
    out = await call(command_tools["count_words"], ctx, text="one two three")
    assert out["stdout"].strip() == "3"


async def test_command_tool_confinement(ctx: ToolContext, command_tools: dict[str, Tool]) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(command_tools["forbidden"], ctx, path="x")
    assert info.value.code == "command_not_allowed"


async def test_json_tool_file(ctx: ToolContext, tmp_path: Path) -> None:
    spec = {
        "tools": [
            {"name": "j", "kind": "command", "description": "d", "argv": ["echo", "{{ x }}"], "inputs": {"x": {}}}
        ]
    }
    path = tmp_path / "tools.json"
    path.write_text(json.dumps(spec))
    (tool,) = load_tool_file(path)
    assert (await call(tool, ctx, x="hi"))["stdout"] == "hi\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("tools: [{name: t, kind: http, description: d}]", ["'t'", "url", "Field required"]),
        ("tools: [{name: t, kind: ftp, description: d}]", ["'t'", "kind"]),
        ("tools: [{name: t, kind: http, description: d, url: 'http://h/{{ nope }}'}]", ["'t'", "url", "nope"]),
        ("tools: [{name: t, kind: http, description: d, url: 'http://h/', urll: x}]", ["'t'", "urll", "Extra"]),
        ("tools: [{$CMD, argv: ['{{ p }}'], inputs: {p: {}}}]", ["'t'", "argv[0]"]),
        (
            "tools: [{$CMD, argv: [ls], inputs: {n: {type: int}}}]",
            ["'t'", "inputs.n.type"],
        ),
        (
            "tools: [{$CMD, argv: [ls], inputs: {n: {type: integer, default: x}}}]",
            ["'t'", "inputs.n.default"],
        ),
        ("tools: [{$CMD, argv: [ls], secret_args: [k]}]", ["'t'", "secret_args"]),
        ("tools: [{$CMD, argv: [ls], outputs: {a: {}}}]", ["'t'", "parse_json"]),
        ("tools: [{$CMD, argv: [ls, '{{ a b }}']}]", ["'t'", "argv[1]", "malformed"]),
        ("tools: [{name: 'bad name', kind: http, description: d, url: 'http://h/'}]", ["'bad name'", "name"]),
        ("tools: [{$CMD, argv: [ls]}, {$CMD, argv: [ls]}]", ["'t'", "twice"]),
        ("tools: {name: t}", ["tools:"]),
        ("tools: [1]", ["tools[0]"]),
        ("tools: [unclosed", ["not valid YAML"]),
        ("tools: []\nextra: 1", ["extra"]),
    ],
)
def test_invalid_files(tmp_path: Path, body: str, expected: list[str]) -> None:
    path = write(tmp_path, body.replace("$CMD", "name: t, kind: command, description: d"))
    with pytest.raises(ValueError) as info:
        load_tool_file(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message, message


def test_tool_files_are_read_with_yaml_1_2_as_plan_files_are(tmp_path: Path) -> None:
    """PyYAML's YAML 1.1 read ``no`` and ``on`` as booleans, ``017`` as 15 and ``2024-01-01`` as a date: a
    default of ``no`` (a country code) was refused as no string, ``017`` reached the tool as 15."""
    path = write(
        tmp_path,
        """
        tools:
          - name: t
            kind: command
            description: d
            argv: [echo, "{{ country }}", "{{ code }}", "{{ day }}", "{{ switch }}", "{{ at }}"]
            inputs:
              country: {type: string, default: no}
              code: {type: integer, default: 017}
              day: {type: string, default: 2024-01-01}
              switch: {type: string, default: on}
              at: {type: string, default: 12:30}
        """,
    )
    (tool,) = load_tool_file(path)
    defaults = {name: field["default"] for name, field in tool.spec.input_schema()["properties"].items()}
    assert defaults == {"country": "no", "code": 17, "day": "2024-01-01", "switch": "on", "at": "12:30"}


@pytest.mark.parametrize(("key", "kind"), [("1", "a number"), ("null", "null"), ("[a]", "a list"), ("on", None)])
def test_a_tool_files_key_that_is_not_text_is_refused_by_line_and_column(
    tmp_path: Path, key: str, kind: str | None
) -> None:
    path = write(
        tmp_path, f"tools:\n  - {{name: t, kind: command, description: d, argv: [ls], inputs: {{{key}: {{}}}}}}\n"
    )
    if kind is None:  # ``on`` is text in YAML 1.2 (YAML 1.1 made it the key True)
        (tool,) = load_tool_file(path)
        assert "on" in tool.spec.input_schema()["properties"]
        return
    with pytest.raises(ValueError) as info:
        load_tool_file(path)
    assert f"a mapping key must be text, not {kind}" in str(info.value) and "line 2, column 67" in str(info.value)


@pytest.mark.parametrize(
    ("declared", "said"),
    [
        ("{type: boolean, default: no}", "inputs.x.default: 'no' is not a valid boolean: write true or false"),
        ("{type: boolean, enum: [yes, no]}", "inputs.x.enum: 'yes' is not a valid boolean: write true or false"),
        ("{type: integer, default: 1_000}", "inputs.x.default: '1_000' is not a valid integer"),
        ("{type: integer, default: true}", "inputs.x.default: True is not a valid integer"),
        ("{type: string, default: 1.0}", 'inputs.x.default: 1.0 is not a valid string: quote it ("1.0")'),
        ("{type: array, items: integer, default: [1, a]}", "inputs.x.default: [1, 'a'] is not a valid array"),
    ],
)
def test_a_default_or_enum_value_not_of_its_declared_type_is_refused_by_name(
    tmp_path: Path, declared: str, said: str
) -> None:
    """No model checks its own defaults: a file written for YAML 1.1 (``default: no`` for a boolean, now
    the text ``no``) gave the tool the text where it declared a boolean, silently."""
    path = write(
        tmp_path, f"tools:\n  - {{name: t, kind: command, description: d, argv: [ls], inputs: {{x: {declared}}}}}\n"
    )
    with pytest.raises(ValueError) as info:
        load_tool_file(path)
    assert said in str(info.value), str(info.value)


def test_values_of_their_declared_type_or_of_no_declared_type_load(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        tools:
          - name: t
            kind: command
            description: d
            argv: [ls]
            inputs:
              a: {type: boolean, default: false}
              b: {type: number, default: 1}
              c: {type: array, items: string, default: []}
              d: {enum: [1, two]}
              e: {type: string, default: null, required: false}
        """,
    )
    (tool,) = load_tool_file(path)
    assert set(tool.spec.input_schema()["properties"]) == {"a", "b", "c", "d", "e"}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("tools:\n  - !tool {name: t}\n", "at line 2, column 5: could not determine a constructor for the tag '!tool'"),
        ("tools: [unclosed\n", "at line 2, column 1: did not find expected ',' or ']'"),
        ("tools:\n  - {name: t, name: u}\n", "at line 2, column 15: the key 'name' is given twice"),
    ],
)
def test_a_tools_file_yaml_can_not_read_is_said_on_one_line_with_its_place(
    tmp_path: Path, body: str, said: str
) -> None:
    """PyYAML's message spans lines and places the problem in "<unicode string>", not the file."""
    path = write(tmp_path, body)
    with pytest.raises(ValueError) as info:
        load_tool_file(path)
    assert str(info.value).startswith(f"{path}: not valid YAML {said}") and "\n" not in str(info.value), str(info.value)


def test_a_tools_file_whose_aliases_expand_past_the_bound_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Plan files count what their aliases expand to; tools files did not: 519 bytes of nested aliases in
    an HTTP tool's JSON body (ten to the seventh values) took 12 s to load, each level more ten times that."""
    levels = [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    body = ", ".join(["l0: &l0 [x, x, x, x, x, x, x, x, x, x]", *levels])
    path = write(
        tmp_path, f"tools:\n  - {{name: t, kind: http, description: d, url: 'https://h/', json: {{{body}}}}}\n"
    )
    with pytest.raises(ValueError) as info:
        load_tool_file(path)
    assert "expands to more than 2,000,000 values (YAML aliases) at line 2" in str(info.value), str(info.value)


def test_a_tools_file_whose_aliases_repeat_long_text_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Counted in values only, one 900,000-character description aliased by 1,000 tools (a 1 MB file) was
    built: 1.8 GB to load. Its text is bounded too, as a plan file's is; aliases within it still load."""
    text = "x" * 900_000
    first = f"  - {{name: t0, kind: http, description: &d {text}, url: 'https://h/'}}\n"
    rest = "".join(f"  - {{name: t{i}, kind: http, description: *d, url: 'https://h/'}}\n" for i in range(1, 1000))
    with pytest.raises(ValueError) as info:
        load_tool_file(write(tmp_path, f"tools:\n{first}{rest}"))
    assert "expands to more than 2,097,152 characters of text (YAML aliases) at line 4" in str(info.value), str(
        info.value
    )
    twice = f"tools:\n{first}  - {{name: t1, kind: http, description: *d, url: 'https://h/'}}\n"
    assert [tool.spec.description for tool in load_tool_file(write(tmp_path, twice, "two.yaml"))] == [text, text]


def test_unreadable_or_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        load_tool_file(tmp_path / "missing.yaml")
    with pytest.raises(ValueError, match=r"\.yaml, \.yml or \.json"):
        load_tool_file(write(tmp_path, "tools: []", name="tools.txt"))


def test_example_file_loads_and_chains() -> None:
    registry = default_registry([EXAMPLES])
    described = load_tool_file(EXAMPLES)
    assert len(described) >= 30
    assert len(registry) == len(described) + len(builtin_tools())
    for tool in described:
        assert tool.spec.description
        assert tool.spec.capabilities
        assert tool.spec.input_types and tool.spec.output_types, tool.name
        tool.spec.describe()  # JSON schemas build for every tool
        for secret in tool.spec.secret_args:
            assert secret in tool.spec.input_schema()["properties"]
    produced = {t for tool in registry for t in tool.spec.output_types}
    consumed = {t for tool in registry for t in tool.spec.input_types}
    # A chain by data type: url -> text -> summary -> message.
    assert {"text", "summary", "message", "location", "weather"} <= produced
    for kind in ("url", "text", "summary", "location"):
        assert kind in consumed
    by_name = {tool.name: tool for tool in registry}
    assert "url" in by_name["extract_article"].spec.input_types
    assert "summary" in by_name["post_message"].spec.input_types
    assert "location" in by_name["geocode_address"].spec.output_types
    assert by_name["send_email"].spec.requires_approval is True


def test_registry_load_file_rejects_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path, "tools: [{name: shell, kind: command, description: d, argv: [ls]}]")
    registry = ToolRegistry(builtin_tools())
    with pytest.raises(ValueError, match="already registered"):
        registry.load_file(path)


@pytest.mark.parametrize(
    ("written", "value"), [(".inf", math.inf), ("1e999", math.inf), (".nan", math.nan), ("true", True)]
)
def test_a_cost_that_is_no_finite_number_is_refused(tmp_path: Path, written: str, value: object) -> None:
    """A cost of infinity was taken: the tool's selection carried it to the run's history, where JSON wrote
    it as null, and the workflow could not read the selection back ('Input should be a valid number').
    A yes was a cost of 1."""
    path = write(
        tmp_path,
        f"""
        tools:
          - name: priced
            kind: http
            description: Costs what it says.
            cost: {written}
            url: "http://127.0.0.1:9/x"
        """,
    )
    with pytest.raises(ValueError, match="cost"):
        load_tool_file(path)
    with pytest.raises(ValidationError, match="cost"):
        ToolSpec(name="priced", description="Costs what it says.", input_model=BaseModel, cost=value)


def test_a_declared_post_without_a_key_has_one_temporal_attempt(http_tools: dict[str, Tool]) -> None:
    """As http_request's (attempts_for): a timeout or a lost worker says nothing of what the server did."""
    attempts_for = http_tools["echo_api"].spec.attempts_for
    assert attempts_for is not None and attempts_for({"item": "x"}) == 1, "the node's retry before"
    assert http_tools["hello_api"].spec.attempts_for is not None
    assert http_tools["hello_api"].spec.attempts_for({}) is None


async def test_a_declared_post_refused_with_503_is_retried_within_its_attempt(ctx: ToolContext, tmp_path: Path) -> None:
    from tests.helpers import http_server, json_body

    received: list[str] = []

    def busy_once(request: Any) -> tuple[int, dict[str, str], bytes]:
        received.append(request.command)
        return (503, {"Retry-After": "0"}, b"busy") if len(received) == 1 else json_body({"ok": True})

    with http_server(busy_once) as url:
        path = write(
            tmp_path, f'tools:\n  - {{name: pay, kind: http, description: d, method: POST, url: "{url}/pay"}}\n'
        )
        (tool,) = load_tool_file(path)
        out = await call(tool, ctx)
    assert received == ["POST", "POST"] and out["status"] == 200, "a retryable http_503 raised before"
