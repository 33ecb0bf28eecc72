"""Text tools: ``extract_text`` (regex, HTML title/text, lines) and ``render_template`` (the template
language of orchestra/tools/templates.py)."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser
from typing import Any, Literal

import re2
from pydantic import BaseModel, ConfigDict, Field

from orchestra.errors import ToolValidationError
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools import offload
from orchestra.tools.templates import TemplateError, render

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


def extract(args: dict[str, Any]) -> dict[str, Any]:
    """The work of extract_text, in a child process of orchestra/tools/offload.py."""
    call = ExtractTextInput.model_validate(args)
    matches: list[Any]
    if call.mode == "regex":
        if not call.pattern:
            raise ToolValidationError("mode 'regex' needs a pattern", code="missing_pattern")
        matches = _regex_matches(_compile(call.pattern, call.ignore_case), call.text, call.all)
    elif call.mode == "html_title":
        title = _scan_html(call.text).title
        matches = [title] if title else []
    elif call.mode == "html_text":
        matches = [_scan_html(call.text).text()]
    else:
        lines = [line for line in call.text.splitlines() if line.strip()]
        if call.pattern:
            lines = _matching_lines(_compile(call.pattern, call.ignore_case), lines)
        matches = lines if call.all else lines[:1]
    return ExtractTextOutput(matches=matches, first=matches[0] if matches else None, count=len(matches)).model_dump()


async def run_extract_text(args: ExtractTextInput, ctx: ToolContext) -> ExtractTextOutput:
    # The cheap checks here, for a clear error without a round trip; the work off the event loop.
    _check_text_size(args.text, ctx)
    if args.pattern is not None and len(args.pattern) > MAX_PATTERN_CHARS:
        _compile(args.pattern, args.ignore_case)  # raises pattern_too_long
    output = await offload.run("extract_text", args.model_dump(), ctx.confinement.local_limits)
    return ExtractTextOutput.model_validate(output)


# --- render_template ------------------------------------------------------------------------------


class RenderTemplateInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(
        description="text with {{ name }} or {{ a.b.0 }} placeholders (dotted paths into values; lists/dicts as JSON)"
    )
    values: dict[str, Any] = Field(default_factory=dict, description="the values the placeholders refer to")


class RenderTemplateOutput(BaseModel):
    text: str = Field(description="the rendered text")


def render_job(args: dict[str, Any]) -> dict[str, Any]:
    """The work of render_template, in a child process; the output is capped while it is built."""
    call = RenderTemplateInput.model_validate(args["input"])
    try:
        return {"text": render(call.template, call.values, max_chars=args["max_chars"])}
    except TemplateError as exc:
        raise ToolValidationError(str(exc), code="template_error") from exc


async def run_render_template(args: RenderTemplateInput, ctx: ToolContext) -> RenderTemplateOutput:
    cap = ctx.confinement.max_output_bytes
    if len(args.template) > cap:
        raise ToolValidationError(
            f"the template is {len(args.template)} characters long; at most {cap} are allowed", code="template_too_long"
        )
    job = {"input": args.model_dump(), "max_chars": cap}
    return RenderTemplateOutput.model_validate(await offload.run("render_template", job, ctx.confinement.local_limits))


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
