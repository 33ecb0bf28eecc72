"""Tools described in YAML or JSON files, without Python: HTTP endpoints and argv commands (and the
``kind: mcp`` entries of MCP servers, checked here, whose tools come from the servers: orchestra/mcp).

A file holds a top-level ``tools:`` list. Each entry declares typed ``inputs`` (turned into a
pydantic model, so arguments are checked like any built-in tool's) and templates filled from them
with ``{{ name }}`` placeholders. Execution goes through the ``http_request`` and ``shell``
implementations, so the same confinement (host allowlist, command allowlist, workspace, minimal
environment) applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache, partial
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from orchestra.argument_validators import one_of
from orchestra.documents import parse_json
from orchestra.errors import ToolError, ToolValidationError
from orchestra.temporal_bounds import Seconds
from orchestra.tool_spec import Cost, RetryHints, Tool, ToolContext, ToolSpec
from orchestra.tools.http_request import (
    HttpMethod,
    HttpResponseOutput,
    perform_request,
    resendable,
    retried_while_unprocessed,
)
from orchestra.tools.shell import ShellOutput, run_argv
from orchestra.tools.templates import (
    Rendered,
    TemplateError,
    lookup,
    placeholder_paths,
    render,
    render_spans,
    to_text,
    whole_placeholder,
)
from orchestra.utf8_text import NotUtf8Text, utf8_text

ParamType = Literal["string", "integer", "number", "boolean", "array", "object"]
PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ALIAS_CONFIG = ConfigDict(validate_by_name=False, validate_by_alias=True, serialize_by_alias=True)

# --- the file format ------------------------------------------------------------------------------


class ParamDecl(BaseModel):
    """One input or output, in a small JSON-schema-like form."""

    model_config = ConfigDict(extra="forbid")

    type: ParamType = "string"
    required: bool | None = Field(None, description="default: true unless a default is given")
    default: Any = None
    description: str = ""
    enum: list[Any] | None = Field(None, min_length=1)
    items: ParamType | None = Field(None, description="element type of an array")


class _ToolDecl(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$")
    description: str
    capabilities: list[str] = Field(default_factory=list)
    input_types: list[str] = Field(default_factory=list)
    output_types: list[str] = Field(default_factory=list)
    cost: Cost = 0.0
    side_effects: bool = False
    idempotent: bool = True
    timeout_s: Seconds = 60.0
    heartbeat_timeout_s: Seconds | None = None
    retry: RetryHints = Field(default_factory=RetryHints)
    secret_args: list[str] = Field(default_factory=list)
    local: bool = False
    requires_approval: bool = False
    inputs: dict[str, ParamDecl] = Field(default_factory=dict)
    outputs: dict[str, ParamDecl] = Field(default_factory=dict)


class HttpToolDecl(_ToolDecl):
    kind: Literal["http"]
    method: HttpMethod = "GET"
    url: str
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    json_: Any = Field(None, alias="json", description="JSON body template")
    body: str | None = Field(None, description="text body template")
    follow_redirects: bool = True
    raise_for_status: bool = True


class CommandToolDecl(_ToolDecl):
    kind: Literal["command"]
    argv: list[str] = Field(min_length=1)
    cwd: str = "."
    stdin: str | None = None
    check: bool = True
    parse_json: bool = False
    # A value like "--output=/x" in an argv slot would be read as an option by most programs.
    allow_option_values: bool = False
    # The program needs the network: its sandbox keeps the worker's network (outside the address checks
    # of orchestra/network.py, which only HTTP tools go through). Off by default.
    network: bool = False


ToolDecl = Annotated[HttpToolDecl | CommandToolDecl, Field(discriminator="kind")]
_TOOL_DECL: TypeAdapter[HttpToolDecl | CommandToolDecl] = TypeAdapter(ToolDecl)


# --- models from declarations ---------------------------------------------------------------------

_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool}


def _python_type(decl: ParamDecl) -> Any:
    if decl.enum is not None:
        return one_of(tuple(decl.enum))  # refused in a bounded message, however many values
    if decl.type == "array":
        return list[_SCALARS.get(decl.items or "", Any)]  # type: ignore[misc]
    if decl.type == "object":
        return dict[str, Any]
    return _SCALARS[decl.type]


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def _build_model(model_name: str, params: dict[str, ParamDecl], extra: Literal["forbid", "allow"]) -> type[BaseModel]:
    # Fields get neutral names and the declared name as alias, so that any declared name works,
    # even one like "json" or "copy" that would clash with BaseModel's own attributes.
    fields: dict[str, Any] = {}
    for index, (name, decl) in enumerate(params.items()):
        annotation = _python_type(decl)
        has_default = "default" in decl.model_fields_set
        required = decl.required if decl.required is not None else not has_default
        if required:
            field = Field(alias=name, description=decl.description or None)
        else:
            if decl.default is None:
                annotation = annotation | None
            field = Field(decl.default, alias=name, description=decl.description or None)
        fields[f"p{index}"] = (annotation, field)
    config = ConfigDict(extra=extra, **ALIAS_CONFIG)
    model: type[BaseModel] = create_model(model_name, __config__=config, **fields)
    return model


class CommandToolOutput(ShellOutput):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    json_: Any = Field(None, alias="json", description="standard output parsed as JSON")


def _output_model(decl: HttpToolDecl | CommandToolDecl, camel: str) -> type[BaseModel]:
    base: type[BaseModel]
    if isinstance(decl, HttpToolDecl):
        base = HttpResponseOutput
    elif decl.parse_json:
        base = CommandToolOutput
    else:
        return ShellOutput
    if not decl.outputs:
        return base
    result = _build_model(f"{camel}Result", decl.outputs, extra="allow")
    described = "the JSON result, with at least the declared outputs"
    field: Any = (result | None, Field(None, alias="json", description=described))
    model: type[BaseModel] = create_model(f"{camel}Output", __base__=base, json_=field)
    return model


# --- checking a declaration -----------------------------------------------------------------------


def _templates(decl: HttpToolDecl | CommandToolDecl) -> Iterator[tuple[str, str]]:
    """Every (field, template string) of a declaration, for placeholder checks."""
    if isinstance(decl, HttpToolDecl):
        yield "url", decl.url
        for key, value in decl.headers.items():
            yield f"headers.{key}", value
        for key, value in decl.query.items():
            yield f"query.{key}", value
        yield from _json_templates("json", decl.json_)
        if decl.body is not None:
            yield "body", decl.body
    else:
        for index, element in enumerate(decl.argv):
            yield f"argv[{index}]", element
        yield "cwd", decl.cwd
        if decl.stdin is not None:
            yield "stdin", decl.stdin


def _json_templates(where: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_templates(f"{where}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_templates(f"{where}[{index}]", item)


@lru_cache(maxsize=256)
def _cached_adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _adapter(annotation: Any) -> TypeAdapter[Any]:
    """A validator per parameter type, made once: making one costs what checking a hundred values does,
    and a 10,000-tool file has tens of thousands of defaults of a few types."""
    try:
        return _cached_adapter(annotation)
    except TypeError:  # an enum of unhashable values (lists): not a cache key
        return TypeAdapter(annotation)


def _check_value(where: str, value: Any, param: ParamDecl) -> None:
    try:
        _adapter(_python_type(param)).validate_python(value, strict=True)
    except ValidationError as exc:
        hint = ""
        if param.type == "boolean" and isinstance(value, str) and value.lower() in ("yes", "no", "on", "off"):
            hint = ": write true or false (tools files are read as YAML 1.2, where yes, no, on and off are text)"
        elif param.type == "string" and not isinstance(value, list | dict):
            hint = f': quote it ("{value}")'
        raise ValueError(f"{where}: {value!r} is not a valid {param.type}{hint}") from exc


def _check(decl: HttpToolDecl | CommandToolDecl) -> None:
    """Raise ValueError("field: problem") for what a schema cannot express."""
    for name, param in decl.inputs.items():
        if not PARAM_NAME.fullmatch(name):
            raise ValueError(f"inputs.{name}: input names must be identifiers (letters, digits, _)")
        if param.required and "default" in param.model_fields_set:
            raise ValueError(f"inputs.{name}: 'required: true' contradicts the default")
        # Strictly: no model checks its own defaults, so one read loosely (``no`` as false) reached the
        # tool as written, the text ``no`` where a boolean was declared (YAML 1.1 made ``no`` false).
        if "default" in param.model_fields_set and param.default is not None:
            _check_value(f"inputs.{name}.default", param.default, param)
        if "type" in param.model_fields_set:  # without a type, the enum's values say what they are
            for value in param.enum or []:
                _check_value(f"inputs.{name}.enum", value, param.model_copy(update={"enum": None}))
    for name in decl.outputs:
        if not PARAM_NAME.fullmatch(name):
            raise ValueError(f"outputs.{name}: output names must be identifiers (letters, digits, _)")
    for field, template in _templates(decl):
        try:
            paths = placeholder_paths(template)
        except TemplateError as exc:
            raise ValueError(f"{field}: {exc}") from exc
        for path in paths:
            if path.split(".", 1)[0] not in decl.inputs:
                raise ValueError(f"{field}: placeholder {{{{ {path} }}}} names no declared input")
    for secret in decl.secret_args:
        if secret not in decl.inputs:
            raise ValueError(f"secret_args: {secret!r} is not a declared input")
    if isinstance(decl, CommandToolDecl):
        if placeholder_paths(decl.argv[0]):
            raise ValueError("argv[0]: the program must be literal, not a placeholder")
        if decl.outputs and not decl.parse_json:
            raise ValueError("outputs: declared outputs need 'parse_json: true' (they describe the parsed stdout)")


# --- filling templates ----------------------------------------------------------------------------


def _plain(value: Any) -> str:
    return "" if value is None else to_text(value)


def _in_url(value: Any) -> str:
    return quote(_plain(value), safe="")


def _fill_json(template: Any, values: dict[str, Any]) -> Any:
    """Fill a JSON body template; a string that is one placeholder keeps the value's JSON type."""
    if isinstance(template, str):
        path = whole_placeholder(template)
        return lookup(values, path) if path is not None else render(template, values, _plain)
    if isinstance(template, dict):
        filled = {}
        for key, item in template.items():
            value = _fill_json(item, values)
            # An optional input left out leaves its key out, rather than sending null.
            if value is None and isinstance(item, str) and whole_placeholder(item) is not None:
                continue
            filled[key] = value
        return filled
    if isinstance(template, list):
        return [_fill_json(item, values) for item in template]
    return template


def _fill_mapping(templates: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    """Headers or query parameters; one left empty by an omitted optional input is dropped."""
    filled: dict[str, Any] = {}
    for key, template in templates.items():
        path = whole_placeholder(template)
        if path is None:
            filled[key] = render(template, values, _plain)
            continue
        value = lookup(values, path)
        if value is None:
            continue
        filled[key] = [_plain(item) for item in value] if isinstance(value, list) else _plain(value)
    return filled


def _fill_argv(decl: CommandToolDecl, values: dict[str, Any]) -> list[str]:
    argv = [decl.argv[0]]
    for index, template in enumerate(decl.argv[1:], start=1):
        path = whole_placeholder(template)
        if path is None:
            rendered = render_spans(template, values, _plain)
            _check_produced(rendered, f"argv[{index}]", option=not decl.allow_option_values)
            argv.append(rendered.text)
            continue
        # One placeholder fills one slot: an omitted optional input drops it, a list fills several.
        value = lookup(values, path)
        items = [] if value is None else value if isinstance(value, list) else [value]
        for item in items:
            text = _plain(item)
            _check_produced(Rendered(text, ((0, len(text)),)), f"{{{{ {path} }}}}", option=not decl.allow_option_values)
            argv.append(text)
    return argv


def _check_produced(rendered: Rendered, where: str, *, option: bool, start: int = 0, end: int | None = None) -> None:
    """A value may fill a slot, never turn it into an option (``-x`` from ``{{ name }}.txt``) or make a
    ``.``/``..`` path segment (``{{ dir }}/f`` with ``..``) between ``start`` and ``end`` of the text. Told
    by the slot and the rule, never the text: it holds the value, and a URL's query (a token a step gave)."""
    text, spans = rendered.text, rendered.spans
    if option and text.startswith("-") and any(a == 0 < b for a, b in spans):
        raise ToolValidationError(
            f"{where}: a value makes it begin with '-', which reads as an option; refused", code="option_value"
        )
    stop = len(text) if end is None else end
    position = start
    while position <= stop:
        slash = text.find("/", position, stop)
        segment_end = stop if slash == -1 else slash
        segment = text[position:segment_end]
        if segment in (".", "..") and any(a < segment_end and b > position for a, b in spans):
            raise ToolValidationError(f"{where}: a value makes a {segment!r} path segment; refused", code="dot_segment")
        if slash == -1:
            break
        position = slash + 1


def _url_path(url: str) -> tuple[int, int]:
    """Where the path of ``url`` starts and ends (the authority before it, the query after it)."""
    scheme = url.find("://")
    start = url.find("/", scheme + 3 if scheme != -1 else 0)
    if start == -1:
        return len(url), len(url)
    ends = [i for i in (url.find("?", start), url.find("#", start)) if i != -1]
    return start, min(ends, default=len(url))


# --- running --------------------------------------------------------------------------------------


def _shape(output_model: type[BaseModel], data: dict[str, Any], tool: str, lenient: bool) -> BaseModel:
    try:
        return output_model.model_validate(data)
    except ValidationError as exc:
        if lenient:
            return output_model.model_validate({**data, "json": None})
        message = f"the result of {tool} does not match its declared outputs: {exc}"
        raise ToolError(message, code="output_mismatch") from exc


def _http_runner(decl: HttpToolDecl, output_model: type[BaseModel]) -> Callable[[Any, ToolContext], Any]:
    async def run(args: BaseModel, ctx: ToolContext) -> BaseModel:
        values = args.model_dump(by_alias=True)
        try:
            rendered_url = render_spans(decl.url, values, _in_url)
            path_start, path_end = _url_path(rendered_url.text)
            _check_produced(rendered_url, "url", option=False, start=path_start, end=path_end)
            url = rendered_url.text
            headers = {key: str(value) for key, value in _fill_mapping(decl.headers, values).items()}
            params = _fill_mapping(decl.query, values)
            json_body = _fill_json(decl.json_, values)
            body = render(decl.body, values, _plain) if decl.body is not None else None
        except TemplateError as exc:
            raise ToolValidationError(f"{decl.name}: {exc}", code="template_error") from exc
        send = partial(
            perform_request,
            ctx,
            method=decl.method,
            url=url,
            headers=headers,
            params=params,
            json_body=json_body,
            has_json_body="json_" in decl.model_fields_set,
            body=body,
            timeout_s=decl.timeout_s,
            follow_redirects=decl.follow_redirects,
            raise_for_status=decl.raise_for_status,
        )
        # As http_request's: a declared POST without an Idempotency-Key has one Temporal attempt (attempts_for).
        result = await (
            send() if resendable(decl.method, decl.headers) else retried_while_unprocessed(send, decl.retry, ctx.sends)
        )
        # An error response (seen only with raise_for_status: false) need not have the declared shape.
        return _shape(output_model, result.model_dump(by_alias=True), decl.name, lenient=result.status >= 400)

    return run


def _command_runner(decl: CommandToolDecl, output_model: type[BaseModel]) -> Callable[[Any, ToolContext], Any]:
    async def run(args: BaseModel, ctx: ToolContext) -> BaseModel:
        values = args.model_dump(by_alias=True)
        try:
            argv = _fill_argv(decl, values)
            rendered_cwd = render_spans(decl.cwd, values, _plain)
            _check_produced(rendered_cwd, "cwd", option=False)
            cwd = rendered_cwd.text or "."
            stdin = render(decl.stdin, values, _plain) if decl.stdin is not None else None
        except TemplateError as exc:
            raise ToolValidationError(f"{decl.name}: {exc}", code="template_error") from exc
        result = await run_argv(
            ctx, argv, cwd=cwd, stdin=stdin, timeout_s=decl.timeout_s, check=decl.check, network=decl.network
        )
        if not decl.parse_json:
            return result
        if result.stdout_truncated:
            raise ToolError(f"{decl.name}: output too large to parse as JSON", code="output_too_large")
        try:
            parsed = parse_json(result.stdout)
        except ValueError as exc:
            raise ToolError(f"{decl.name}: standard output is not JSON: {exc}", code="bad_json") from exc
        return _shape(output_model, {**result.model_dump(), "json": parsed}, decl.name, lenient=False)

    return run


def build_tool(decl: HttpToolDecl | CommandToolDecl) -> Tool:
    camel = _camel(decl.name)
    input_model = _build_model(f"{camel}Input", decl.inputs, extra="forbid")
    output_model = _output_model(decl, camel)
    spec = ToolSpec(
        name=decl.name,
        description=decl.description,
        capabilities=decl.capabilities,
        input_model=input_model,
        output_model=output_model,
        input_types=decl.input_types,
        output_types=decl.output_types,
        cost=decl.cost,
        side_effects=decl.side_effects,
        idempotent=decl.idempotent,
        timeout_s=decl.timeout_s,
        heartbeat_timeout_s=decl.heartbeat_timeout_s,
        retry=decl.retry,
        local=decl.local,
        secret_args=decl.secret_args,
        requires_approval=decl.requires_approval,
        remote=isinstance(decl, HttpToolDecl),
        attempts_for=_one_attempt_unless_resendable(decl) if isinstance(decl, HttpToolDecl) else None,
    )
    if isinstance(decl, HttpToolDecl):
        return Tool(spec=spec, run=_http_runner(decl, output_model))
    return Tool(spec=spec, run=_command_runner(decl, output_model))


def _one_attempt_unless_resendable(decl: HttpToolDecl) -> Callable[[Mapping[str, Any]], int | None]:
    """Its method and header names are the file's, not the call's: whether a call may be resent is the tool's."""
    most = None if resendable(decl.method, decl.headers) else 1
    return lambda _args: most


def card_fields(decl: HttpToolDecl | CommandToolDecl) -> tuple[Any, ...]:
    """What planning reads about a declared tool, as plain data: a ``ToolCard``'s fields, with each
    parameter as a ``ParamCard``'s (``tool_files`` keeps them and makes the cards)."""

    def params(declared: dict[str, ParamDecl]) -> tuple[tuple[str, str, str, bool], ...]:
        return tuple(
            (name, p.description, p.type, p.required if p.required is not None else "default" not in p.model_fields_set)
            for name, p in declared.items()
        )

    return (decl.name, decl.description, tuple(decl.capabilities), tuple(decl.input_types),
            tuple(decl.output_types), params(decl.inputs), params(decl.outputs))  # fmt: skip


# --- loading a file -------------------------------------------------------------------------------


def build_from_declaration(raw: Any, card: tuple[Any, ...]) -> tuple[ToolSpec, Callable[[Any, ToolContext], Any]]:
    """Spec and runner of a declaration ``read_tool_file`` checked, whose card planning read as ``card``
    (``tool_files`` builds a tool so when a plan first uses it). Checked again, and against its card: a
    declaration read back from the planning cache must be the one the file gave, never another."""
    decl = _TOOL_DECL.validate_python(raw)
    _check(decl)
    if card_fields(decl) != card:
        raise ValueError("its declaration does not say what its card says")
    tool = build_tool(decl)
    return tool.spec, tool.run


# Characters of text a tools file's aliases may expand it to, when the file itself holds fewer: one
# 900,000-character description aliased by 1,000 tools in a 1 MB file took 1.8 GB to load.
MAX_ALIASED_TEXT = 2 * 1024 * 1024


def _read_document(path: Path, content: bytes) -> Any:
    try:
        text = utf8_text(content)
    except NotUtf8Text as exc:
        raise ValueError(f"{path}: cannot read tool file: {exc}") from exc
    import yaml  # here: building a tool of a cached file needs no parser

    from orchestra.documents import MAX_DEPTH, MAX_VALUES, TooLarge, check_expansion, load_yaml, unique_keys

    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            # An alias bomb, before its tree is built and walked: of values, or of long text aliased often.
            check_expansion(text, MAX_VALUES, MAX_DEPTH, max_chars=max(len(text), MAX_ALIASED_TEXT))
            return load_yaml(text)  # as plan files are read: YAML 1.2's core schema, keys that are text
        if suffix == ".json":
            return parse_json(text, object_pairs_hook=unique_keys)
    except TooLarge as exc:
        raise ValueError(f"{path}: not a tools file to read: {exc} at {exc.where}") from None
    except yaml.MarkedYAMLError as exc:  # said as plan files say it: one line, not PyYAML's "<unicode string>"
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ValueError(f"{path}: not valid YAML{where}: {exc.problem or exc.context or 'unreadable'}") from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise ValueError(f"{path}: not valid {suffix[1:].upper()}: {exc}") from exc
    raise ValueError(f"{path}: tool files must end in .yaml, .yml or .json")


def _describe_errors(exc: ValidationError, kind: object) -> str:
    parts = []
    for error in exc.errors():
        loc = list(error["loc"])
        if loc and loc[0] == kind:  # the discriminated union puts the kind first
            loc = loc[1:]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(tool)"
        parts.append(f"field {where}: {error['msg']}")
    return "; ".join(parts)


def read_tool_file(path: Path, content: bytes) -> tuple[list[tuple[Any, ...]], list[Any], list[Any]]:
    """What a YAML/JSON file describes, checked: each tool's ``card_fields`` and declaration as read,
    and the MCP server entries (as read: their tools come from the servers); any problem raises
    ValueError naming file, tool and field. ``tool_files.load_tool_entries`` makes the tools, and
    keeps what this found by the file's content."""
    from orchestra.mcp.config import McpServerDecl

    document = _read_document(path, content)
    if not isinstance(document, dict) or not isinstance(document.get("tools"), list):
        raise ValueError(f"{path}: expected a mapping with a top-level 'tools:' list")
    unknown = sorted(set(document) - {"tools", "version"})
    if unknown:
        raise ValueError(f"{path}: unknown top-level keys {unknown} (expected 'tools')")
    cards: list[tuple[Any, ...]] = []
    raws: list[Any] = []
    servers: list[Any] = []
    seen: set[str] = set()
    for index, raw in enumerate(document["tools"]):
        label = f"tools[{index}]"
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: {label}: each tool must be a mapping")
        if isinstance(raw.get("name"), str):
            label = f"tool {raw['name']!r} ({label})"
        kind = raw.get("kind")
        if kind not in ("http", "command", "mcp"):
            raise ValueError(f"{path}: {label}: field kind: must be 'http', 'command' or 'mcp', not {kind!r}")
        if kind == "mcp":
            label = label.replace("tool ", "MCP server ", 1)
        try:
            decl = McpServerDecl.model_validate(raw) if kind == "mcp" else _TOOL_DECL.validate_python(raw)
        except ValidationError as exc:
            raise ValueError(f"{path}: {label}: {_describe_errors(exc, kind)}") from None
        if decl.name in seen:
            raise ValueError(f"{path}: {label}: field name: {decl.name!r} is described twice")
        seen.add(decl.name)
        if isinstance(decl, McpServerDecl):
            servers.append(raw)  # its tools are the server's to say (orchestra/mcp/hub.py)
            continue
        try:
            _check(decl)
        except ValueError as exc:  # TemplateError included
            raise ValueError(f"{path}: {label}: field {exc}") from exc
        cards.append(card_fields(decl))
        raws.append(raw)
    return cards, raws, servers


from orchestra.tools.tool_files import load_tool_entries, load_tool_file  # noqa: E402  (the public ways in, cached)

__all__ = ["build_tool", "card_fields", "load_tool_entries", "load_tool_file", "read_tool_file"]
