"""Text tools: ``extract_text`` (regex, HTML title/text, lines) and ``render_template``.

The ``{{ a.b.0 }}`` template language lives here too, because tools described in YAML/JSON files
fill their URLs, bodies and argv with it. It only walks dict keys and list indexes, unlike
``str.format``, which can reach arbitrary attributes of the objects it is given.
"""

from __future__ import annotations

import asyncio
import json
import re
import warnings
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any, Literal

import re2
from pydantic import BaseModel, ConfigDict, Field

from orchestra.errors import ToolValidationError
from orchestra.tool_spec import Tool, ToolContext, ToolSpec

# --- templates ------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.-?[A-Za-z0-9_]+)*")


class TemplateError(ValueError):
    """A placeholder that is malformed or names a value that is not there."""


def placeholder_paths(template: str) -> list[str]:
    """The dotted paths of every placeholder in ``template``, in order; malformed ones raise."""
    paths = []
    for match in PLACEHOLDER.finditer(template):
        path = match.group(1).strip()
        if not PATH.fullmatch(path):
            expected = "expected a dotted name like {{ a.b.0 }}"
            raise TemplateError(f"malformed placeholder {match.group(0)!r}: {expected}")
        paths.append(path)
    return paths


def whole_placeholder(template: str) -> str | None:
    """The path if ``template`` is exactly one placeholder (so the value can keep its JSON type)."""
    match = PLACEHOLDER.fullmatch(template.strip())
    if match is None:
        return None
    path = match.group(1).strip()
    return path if PATH.fullmatch(path) else None


def _is_index(segment: str, length: int) -> bool:
    return re.fullmatch(r"-?\d+", segment) is not None and -length <= int(segment) < length


def lookup(values: Any, path: str) -> Any:
    current = values
    for segment in path.split("."):
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and _is_index(segment, len(current)):
            current = current[int(segment)]
        else:
            raise TemplateError(f"no value for placeholder {path!r} (missing {segment!r})")
    return current


def to_text(value: Any) -> str:
    """Strings as they are; everything else (numbers, lists, dicts, null) as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def render(template: str, values: Any, convert: Callable[[Any], str] = to_text) -> str:
    placeholder_paths(template)  # refuse malformed placeholders instead of leaving them in the output
    return PLACEHOLDER.sub(lambda m: convert(lookup(values, m.group(1).strip())), template)


# --- extract_text ---------------------------------------------------------------------------------

SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "hr", "main", "aside", "dd", "dt", "body",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})


class _HtmlScanner(HTMLParser):
    """Collects the <title> and the visible text (outside script/style/head), one block per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.chunks: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None:
            self.title_parts = []
        if tag == "body":
            self._skip_depth = 0  # an unclosed <head> must not hide the whole page
        if tag in SKIPPED_TAGS and tag not in VOID_TAGS:
            self._skip_depth += 1
        if tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None:
            self.title = " ".join("".join(self.title_parts).split())
            self.title_parts = None
        if tag in SKIPPED_TAGS and self._skip_depth:
            self._skip_depth -= 1
        if tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        if not self._skip_depth:
            self.chunks.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.chunks).splitlines())
        return "\n".join(line for line in lines if line)


def _scan_html(html: str) -> _HtmlScanner:
    scanner = _HtmlScanner()
    scanner.feed(html)
    scanner.close()
    if scanner.title is None and scanner.title_parts is not None:  # unclosed <title>
        scanner.title = " ".join("".join(scanner.title_parts).split())
    return scanner


class ExtractTextInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the text or HTML to extract from")
    mode: Literal["regex", "html_title", "html_text", "lines"] = Field(
        "regex",
        description=(
            "regex: matches of pattern; html_title: the <title>; html_text: the visible text of an HTML page "
            "(one element); lines: the non-empty lines, filtered by pattern if given"
        ),
    )
    pattern: str | None = Field(
        None,
        description=(
            "RE2 regular expression (linear time; inline flags (?i) (?m) (?s) allowed; no backreferences or "
            "lookaround; at most 1000 characters). A match is the whole match without groups, "
            "the group with one group, a list with several groups, or a dict with named groups"
        ),
    )
    all: bool = Field(True, description="return every match (false: only the first)")
    ignore_case: bool = Field(False, description="match the pattern case-insensitively")


class ExtractTextOutput(BaseModel):
    matches: list[Any] = Field(description="what was extracted")
    first: Any = Field(None, description="the first element of matches, or null")
    count: int = Field(description="number of matches")


MAX_PATTERN_CHARS = 1_000
TEXT_LIMIT_FACTOR = 4  # the text may be a few times a tool's output cap (e.g. several fetched pages joined)

# RE2 matches in time linear in the text, so no pattern can stall the worker (Python's ``re`` backtracks,
# and holds the GIL while it does, so even a thread does not save the event loop). The price: the
# features that need backtracking are refused, each named by what RE2 reports.
_UNSUPPORTED_OPERATORS = {
    "(?=": "lookahead (?=...)",
    "(?!": "negative lookahead (?!...)",
    "(?<=": "lookbehind (?<=...)",
    "(?<!": "negative lookbehind (?<!...)",
    "(?P=": "named backreferences (?P=name)",
    "(?>": "atomic groups (?>...)",
    "(?(": "conditionals (?(id)yes|no)",
    "(?#": "comments (?#...)",
}
_UNSUPPORTED_ESCAPES = {
    "\\Z": "\\Z (write \\z for the end of the text)",
    "\\u": "\\uXXXX escapes (write \\x{XXXX})",
    "\\U": "\\UXXXXXXXX escapes (write \\x{XXXXXXXX})",
    "\\N": "\\N{name} escapes",
}


def _unsupported_feature(pattern: str, message: str) -> str | None:
    """What RE2 refused in ``pattern``, if Python's ``re`` would have taken it; None for a plain syntax error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error:
        return None
    if message.startswith("invalid perl operator: "):
        operator = message.removeprefix("invalid perl operator: ")
        if operator == "(?P":
            operator = "(?P="
        for prefix, feature in _UNSUPPORTED_OPERATORS.items():
            if operator.startswith(prefix):
                return feature
        if re.fullmatch(r"\(\?[a-zA-Z]", operator):
            return f"the inline flag {operator}) (only i, m, s and U are supported)"
        return f"the group syntax {operator}"
    if message.startswith("invalid escape sequence: "):
        escape = message.removeprefix("invalid escape sequence: ")
        if re.fullmatch(r"\\\d", escape):
            return f"backreferences ({escape})"
        return _UNSUPPORTED_ESCAPES.get(escape, f"the escape {escape}")
    if message.startswith("bad repetition operator: "):
        return f"possessive quantifiers ({message.removeprefix('bad repetition operator: ')})"
    if message.startswith("invalid repetition size: "):
        return f"repetition counts above 1000 ({message.removeprefix('invalid repetition size: ')})"
    return None


def _compile(pattern: str, ignore_case: bool) -> Any:
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ToolValidationError(
            f"the pattern is {len(pattern)} characters long; at most {MAX_PATTERN_CHARS} are allowed",
            code="pattern_too_long",
        )
    options = re2.Options()
    options.log_errors = False  # the error comes back as an exception; RE2 would also print it to stderr
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        message = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        feature = _unsupported_feature(pattern, message)
        if feature is not None:
            raise ToolValidationError(
                f"regular expression {pattern!r} uses {feature}, which extract_text does not support: "
                "it matches with RE2 (linear time, no backtracking)",
                code="unsupported_pattern",
            ) from exc
        raise ToolValidationError(f"bad regular expression {pattern!r}: {message}", code="bad_pattern") from exc


def _match_value(match: Any) -> Any:
    named = match.groupdict()
    if named:
        return named
    groups = match.groups()
    if not groups:
        return match.group(0)
    return groups[0] if len(groups) == 1 else list(groups)


def _regex_matches(regex: Any, text: str, find_all: bool) -> list[Any]:
    if not find_all:
        match = regex.search(text)
        return [_match_value(match)] if match else []
    return [_match_value(match) for match in regex.finditer(text)]


def _matching_lines(regex: Any, lines: list[str]) -> list[str]:
    return [line for line in lines if regex.search(line)]


def _check_text_size(text: str, ctx: ToolContext) -> None:
    limit = TEXT_LIMIT_FACTOR * ctx.confinement.max_output_bytes
    if len(text) > limit:
        raise ToolValidationError(
            f"the text is {len(text)} characters long; at most {limit} are allowed "
            f"({TEXT_LIMIT_FACTOR} x max_output_bytes)",
            code="text_too_long",
        )


async def run_extract_text(args: ExtractTextInput, ctx: ToolContext) -> ExtractTextOutput:
    _check_text_size(args.text, ctx)
    matches: list[Any]
    if args.mode == "regex":
        if not args.pattern:
            raise ToolValidationError("mode 'regex' needs a pattern", code="missing_pattern")
        regex = _compile(args.pattern, args.ignore_case)
        # RE2 is linear and releases the GIL; a thread keeps even a long (but bounded) scan off the event loop.
        matches = await asyncio.to_thread(_regex_matches, regex, args.text, args.all)
    elif args.mode == "html_title":
        title = _scan_html(args.text).title
        matches = [title] if title else []
    elif args.mode == "html_text":
        matches = [_scan_html(args.text).text()]
    else:
        lines = [line for line in args.text.splitlines() if line.strip()]
        if args.pattern:
            regex = _compile(args.pattern, args.ignore_case)
            lines = await asyncio.to_thread(_matching_lines, regex, lines)
        matches = lines if args.all else lines[:1]
    return ExtractTextOutput(matches=matches, first=matches[0] if matches else None, count=len(matches))


# --- render_template ------------------------------------------------------------------------------


class RenderTemplateInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(
        description="text with {{ name }} or {{ a.b.0 }} placeholders (dotted paths into values; lists/dicts as JSON)"
    )
    values: dict[str, Any] = Field(default_factory=dict, description="the values the placeholders refer to")


class RenderTemplateOutput(BaseModel):
    text: str = Field(description="the rendered text")


async def run_render_template(args: RenderTemplateInput, ctx: ToolContext) -> RenderTemplateOutput:
    try:
        return RenderTemplateOutput(text=render(args.template, args.values))
    except TemplateError as exc:
        raise ToolValidationError(str(exc), code="template_error") from exc


# --- tools ----------------------------------------------------------------------------------------


def extract_text_tool() -> Tool:
    spec = ToolSpec(
        name="extract_text",
        description="Extract from text: regex matches (with groups), an HTML page's title or visible text, or lines.",
        capabilities=["extract", "text", "parse", "html", "regex"],
        input_model=ExtractTextInput,
        output_model=ExtractTextOutput,
        input_types=["text", "html"],
        output_types=["text", "json"],
        side_effects=False,
        idempotent=True,
        timeout_s=30.0,
        local=True,
    )
    return Tool(spec=spec, run=run_extract_text)


def render_template_tool() -> Tool:
    spec = ToolSpec(
        name="render_template",
        description="Fill {{ name }} / {{ a.b.0 }} placeholders in a text template from a dict of values.",
        capabilities=["template", "format", "text", "report"],
        input_model=RenderTemplateInput,
        output_model=RenderTemplateOutput,
        input_types=["json", "text"],
        output_types=["text", "report"],
        side_effects=False,
        idempotent=True,
        timeout_s=30.0,
        local=True,
    )
    return Tool(spec=spec, run=run_render_template)
