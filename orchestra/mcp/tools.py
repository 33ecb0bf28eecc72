"""An MCP server's tool as a registry tool: its card, its spec, its argument check and its output.

- The input schema is the server's JSON Schema, as it is: the agent's model sees it, and arguments
  are checked against it (``jsonschema``) before the call, by plan validation and by the activity,
  like any tool's. ``$ref`` resolves inside the schema only: a server cannot make the worker fetch;
  regular expressions run on RE2 (``schemas``).
- The annotations are hints from a server the operator chose; they map onto the spec so Temporal
  retries only what is safe to repeat:

  | annotation | spec |
  |---|---|
  | ``readOnlyHint: true`` | no side effects, idempotent: retried |
  | ``idempotentHint: true`` | side effects, idempotent: retried |
  | ``destructiveHint: true`` | side effects; needs approval in agent mode (the entry's ``approval``) |
  | none of these | side effects, not idempotent: one attempt; a call cut off mid-way is never repeated |
- The output: ``text`` (the text items, joined), ``json`` (``structuredContent``, or the text parsed
  when it is JSON), ``content`` (every item; images and audio with their MIME type, size and base64
  data), ``is_error``.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from orchestra.documents import parse_json
from orchestra.mcp import schemas
from orchestra.mcp.config import McpServerDecl
from orchestra.telemetry import redaction
from orchestra.tool_spec import ParamCard, RetryHints, ToolCard, ToolSpec

if TYPE_CHECKING:
    import jsonschema

TOOL_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$")
MAX_BINARY_BYTES = 16 * 1024 * 1024
# Every MCP tool answers with text and (often) JSON: the planner may feed them to a step that takes either.
OUTPUT_TYPES = ("json", "text")


class McpToolOutput(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    text: str = Field("", description="the text content, items joined by blank lines")
    json_: Any = Field(None, alias="json", description="structured content, or the text parsed as JSON")
    content: list[dict[str, Any]] = Field(default_factory=list, description="every content item")
    truncated: bool = Field(False, description="text cut at the output cap, or structured content over it left out")


def registry_name(server: str, tool: str) -> str:
    return f"{server}.{tool}"


def check_listing(decl: McpServerDecl, raw: dict[str, Any]) -> str | None:
    """Why a listed tool cannot become a registry tool, or None."""
    name = raw.get("name")
    if not isinstance(name, str) or not TOOL_NAME.match(name):
        return f"tool name {name!r} is not usable (letters, digits, _ . - up to 128)"
    schema = raw.get("inputSchema")
    if not isinstance(schema, dict) or schema.get("type", "object") != "object":
        return f"tool {name!r}: its inputSchema is not an object schema"
    problem = schemas.problem(schema, raw)
    return None if problem is None else f"tool {name!r}: {problem}"


def arguments_model(name: str, schema: dict[str, Any]) -> type[BaseModel]:
    """A model whose validation is the JSON Schema's, each violation a pydantic error at its path, with
    one field per top-level property (for the planner, which binds inputs by name); its JSON schema is
    the server's own. Dump it with ``exclude_unset``: an argument left out stays out."""
    validator = schemas.validator(_closed(schema))

    def server_schema(generated: dict[str, Any], _: type) -> None:
        generated.clear()
        generated.update(schema)

    def check(data: Any) -> Any:
        found = schemas.errors(validator, data)
        if found:
            raise ValidationError.from_exception_data(name, _refusal(found))
        return data

    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = set(schema.get("required") or [])
    fields: dict[str, Any] = {}
    for index, (key, prop) in enumerate((properties or {}).items()):
        kind = prop.get("type") if isinstance(prop, dict) else None
        annotation: Any = list[Any] if kind == "array" else dict[str, Any] if kind == "object" else Any
        text = str(prop.get("description") or "") if isinstance(prop, dict) else ""
        default = ... if key in required else None
        fields[f"p{index}"] = (annotation, Field(default, alias=key, description=text or None))

    class Checked(BaseModel):
        # Neutral field names, the property as alias: any property name works ("json", "copy"...).
        model_config = ConfigDict(
            extra="allow", title=name, json_schema_extra=server_schema,
            validate_by_name=False, validate_by_alias=True, serialize_by_alias=True,
        )  # fmt: skip

        # validate reads the schema's sets as the check's own (reference_types.by_members).
        schema_is_the_check: ClassVar[bool] = True

        @model_validator(mode="before")
        @classmethod
        def _schema(cls, data: Any) -> Any:
            return check(data)

    model: type[BaseModel] = create_model("Arguments", __base__=Checked, **fields)
    return model


# In place of the value an error is about, where pydantic keeps it (``str(exc)`` shows it as input_value).
_NOT_QUOTED = "(not quoted)"
# Breaches of the schema a refusal names, the first by place; the rest are counted. Each named one was a
# pydantic error, written into validate's problems and the run's history: 50,000 refused items of a list
# took 12.7 s to refuse and wrote 9.7 MB.
SHOWN_BREACHES = 10


def _refusal(found: list[jsonschema.ValidationError]) -> list[InitErrorDetails]:
    """The first SHOWN_BREACHES of ``found`` in the arguments' order (an item's index as a number: ``$.x[2]``
    before ``$.x[10]``), each where it is, then how many more there are; only those shown are written."""
    shown = heapq.nsmallest(SHOWN_BREACHES, found, key=lambda e: _place(e.absolute_path))
    details = [
        InitErrorDetails(
            type=PydanticCustomError("json_schema", "{message}", {"message": _argument_breach(e)}),
            loc=tuple(e.absolute_path),
            input=_NOT_QUOTED,
        )
        for e in shown
    ]
    if len(found) > len(shown):
        left = len(found) - len(shown)
        more = f"and {left:,} more {'breach' if left == 1 else 'breaches'} of the server's schema, not listed"
        details.append(InitErrorDetails(type=PydanticCustomError("json_schema", more), loc=(), input=_NOT_QUOTED))
    return details


def _place(path: Iterable[str | int]) -> tuple[tuple[int, int | str], ...]:
    """A path's order key, each part typed: an index sorts as a number, and before any key (a path's parts are
    an object's keys or an array's indexes, never both at one depth of one value, but kept comparable)."""
    return tuple((0, part) if isinstance(part, int) else (1, str(part)) for part in path)


def _argument_breach(error: jsonschema.ValidationError) -> str:
    """Where the arguments break the server's schema and which rule, never the value (``schemas.breach``):
    jsonschema's words quote it ("'sk-live-...' is not of type 'integer'"), and a plan's value may be a
    secret, masked but quoted, or personal data. Arguments the schema does not know are named: their
    names are the plan's, the call's own words, and a misspelt one is found by its name."""
    if error.validator == "additionalProperties" and not error.absolute_path:
        return error.message
    return schemas.breach(error)


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    """Unknown arguments are refused, as for every tool here (a misspelt name fails before the run, not
    silently at the server), unless the schema says what it does with them."""
    open_keys = ("additionalProperties", "patternProperties", "unevaluatedProperties")
    if "properties" in schema and not any(key in schema for key in open_keys):
        return {**schema, "additionalProperties": False}
    return schema


def _annotations(raw: dict[str, Any]) -> dict[str, Any]:
    found = raw.get("annotations")
    return found if isinstance(found, dict) else {}


def behaviour(decl: McpServerDecl, raw: dict[str, Any]) -> dict[str, bool]:
    """side_effects, idempotent and requires_approval from the annotations (the table above)."""
    hints = _annotations(raw)
    read_only = hints.get("readOnlyHint") is True
    destructive = hints.get("destructiveHint") is True and not read_only
    approval = decl.approval == "always" or (decl.approval == "destructive" and destructive)
    return {
        "side_effects": not read_only,
        "idempotent": read_only or hints.get("idempotentHint") is True,
        "requires_approval": approval,
    }


def description(decl: McpServerDecl, raw: dict[str, Any]) -> str:
    text = raw.get("description") or raw.get("title") or _annotations(raw).get("title") or raw["name"]
    return f"{str(text).strip()} (MCP server {decl.name})"


def capabilities(decl: McpServerDecl, raw: dict[str, Any]) -> list[str]:
    words = [w.lower() for w in re.split(r"[^A-Za-z0-9]+", raw["name"]) if len(w) > 1]
    return list(dict.fromkeys([*decl.capabilities, "mcp", decl.name.lower(), *words]))


def card(decl: McpServerDecl, raw: dict[str, Any]) -> ToolCard:
    schema: dict[str, Any] = raw["inputSchema"]
    required = set(schema.get("required") or [])
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    inputs = tuple(
        ParamCard(
            key,
            str(prop.get("description") or "") if isinstance(prop, dict) else "",
            str(prop.get("type") or "string") if isinstance(prop, dict) else "string",
            key in required,
        )
        for key, prop in (properties or {}).items()
    )
    outputs = tuple(
        ParamCard(field.alias or key, field.description or "", "array" if key == "content" else "string", False)
        for key, field in McpToolOutput.model_fields.items()
    )
    return ToolCard(
        name=registry_name(decl.name, raw["name"]),
        description=description(decl, raw),
        capabilities=tuple(capabilities(decl, raw)),
        output_types=OUTPUT_TYPES,
        inputs=inputs,
        outputs=outputs,
    )


def spec(decl: McpServerDecl, raw: dict[str, Any]) -> ToolSpec:
    name = registry_name(decl.name, raw["name"])
    flags = behaviour(decl, raw)
    return ToolSpec(
        name=name,
        description=description(decl, raw),
        capabilities=capabilities(decl, raw),
        input_model=arguments_model(name, raw["inputSchema"]),
        output_model=McpToolOutput,
        output_types=list(OUTPUT_TYPES),
        timeout_s=decl.timeout_s,
        # Not idempotent: one attempt, so no retry repeats a call that may have taken effect (a plan's
        # `retry` may ask for more, knowing the tool).
        retry=RetryHints() if flags["idempotent"] else RetryHints(max_attempts=1),
        **flags,
    )


# --- results --------------------------------------------------------------------------------------


def output(result: dict[str, Any], max_text_bytes: int, *, json_dropped: bool = False) -> McpToolOutput:
    """A CallToolResult (as JSON) mapped onto the output: text joined and capped, binary data kept up to
    MAX_BINARY_BYTES (a large output goes to external storage like any tool's). ``json_dropped``: its
    structured content was over the cap and left out (``json_over``); the output says it is cut."""
    texts: list[str] = []
    items: list[dict[str, Any]] = []
    for item in result.get("content") or []:
        kind = item.get("type")
        if kind == "text":
            texts.append(str(item.get("text", "")))
            items.append({"type": "text", "text": item.get("text", "")})
        elif kind in ("image", "audio"):
            items.append({"type": kind, "mime_type": item.get("mimeType"), **_binary(item.get("data"))})
        elif kind == "resource":
            resource = item.get("resource") or {}
            entry = {"type": "resource", "uri": resource.get("uri"), "mime_type": resource.get("mimeType")}
            if "text" in resource:
                texts.append(str(resource["text"]))
                entry["text"] = resource["text"]
            else:
                entry.update(_binary(resource.get("blob")))
            items.append(entry)
        elif kind == "resource_link":
            items.append(
                {"type": kind, "uri": item.get("uri"), "name": item.get("name"), "mime_type": item.get("mimeType")}
            )
        else:
            items.append({"type": str(kind)})
    items, items_cut = _within(items, max_text_bytes)
    text = "\n\n".join(texts)
    encoded = text.encode()
    truncated = len(encoded) > max_text_bytes or json_dropped or items_cut
    if len(encoded) > max_text_bytes:
        text = encoded[:max_text_bytes].decode(errors="ignore")
        for entry in items:
            entry.pop("text", None)
    structured = result.get("structuredContent")
    if structured is None and texts and not truncated:
        structured = _parsed(text)
    return McpToolOutput(text=text, json_=structured, content=items, truncated=truncated)


def joined_texts(result: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Where the texts ``output`` joins are in a CallToolResult (as JSON), in the order it joins them: the text
    items' and the text resources' (each a mapping and its key)."""
    slots: list[tuple[dict[str, Any], str]] = []
    for item in result.get("content") or []:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "text" and isinstance(item.get("text"), str):
            slots.append((item, "text"))
        elif (
            kind == "resource"
            and isinstance(resource := item.get("resource"), dict)
            and isinstance(resource.get("text"), str)
        ):
            slots.append((resource, "text"))
    return slots


def _within(items: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], bool]:
    """The first items whose fields other than their text and data (both bounded on their own) fit
    ``limit``, and whether any was left out: a server's names and URIs count towards the cap too."""
    size = 0
    for index, entry in enumerate(items):
        size += sum(len(str(value)) + 8 for key, value in entry.items() if key not in ("text", "data"))
        if size > limit:
            return items[:index], True
    return items, False


def json_over(value: Any, limit: int) -> bool:
    """Whether ``value`` written as JSON would be over ``limit`` bytes (about: a string counts its
    characters), walked only as far as it takes to know."""
    size = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            size += len(item) + 3
        elif isinstance(item, dict):
            size += 2
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            size += 2
            pending.extend(item)
        else:
            size += 5
        if size > limit:
            return True
    return False


def _binary(data: Any) -> dict[str, Any]:
    if not isinstance(data, str):
        return {"bytes": 0, "data": None}
    try:
        size = len(base64.b64decode(data, validate=True))
    except (binascii.Error, ValueError):
        return {"bytes": None, "data": None, "omitted": "not valid base64"}
    if size > MAX_BINARY_BYTES:
        return {"bytes": size, "data": None, "omitted": f"over {MAX_BINARY_BYTES} bytes"}
    return {"bytes": size, "data": data}


def _parsed(text: str) -> Any:
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        return parse_json(stripped)
    except ValueError:
        return None


def error_text(result: dict[str, Any], limit: int = 2000) -> str:
    """The tool's own words for its error, at most ``limit`` characters, which ``result`` (masked of its
    server's secrets) may not hold a secret of the call or a plan's value the log masker remembers cut in
    two: cut after, the masker no longer found one echoed across the cut, and its start was shown."""
    texts = [str(i.get("text", "")) for i in result.get("content") or [] if i.get("type") == "text"]
    return redaction.quoted_start(" ".join(texts).strip(), limit) or "the tool reported an error without text"
