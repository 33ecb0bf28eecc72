"""Arguments for a chosen tool: literal data from the task, and references to upstream outputs.

Built-in tools have known argument names; tools described in YAML are bound by their declared
inputs: by name (an input ``lat`` takes an upstream output ``lat``), then by data type, and a
required input nothing can fill becomes a plan input (``${inputs.send_email_api_key}``; named after
the step where one tool serves several) that the user supplies at run time.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import typing
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from orchestra.analysis.data import CREDENTIAL_MASK, RUN_HEADS, json_of, overwritten_files, types_of
from orchestra.analysis.derived_sent import made_thing_named
from orchestra.analysis.goals import SENT_TO_A_URL
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.part_written import WRITES_LESS
from orchestra.analysis.secrets_sent import SENDING, looks_secret
from orchestra.analysis.sent_apart import METHOD_AFTER, said_after_the_url
from orchestra.analysis.sent_unnamed import says_it_sends_nothing
from orchestra.analysis.words import (
    DETERMINERS,
    STARTING_HEADS,
    STOP_WORDS,
    TOLD_INPUTS,
    TYPE_WORDS,
    base_verb,
    names_question,
    words,
)
from orchestra.commands import never_ends, written_by
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import deletes_the_file
from orchestra.planning.literals import CallLiterals, holds_reference, literals_of, quoted, unread, unread_item
from orchestra.planning.said_recipients import recipient_said
from orchestra.planning.searched import searches_nothing
from orchestra.planning.sent_pointed import takes_what_was_made
from orchestra.references import REFERENCE
from orchestra.tool_spec import ToolSpec

# What extract_text should pull out, by the noun the task uses: (mode, pattern).
EXTRACTIONS: dict[str, tuple[str, str | None]] = {
    "title": ("html_title", None),
    "titles": ("html_title", None),
    "headline": ("html_title", None),
    "links": ("regex", r"href=[\"']([^\"']+)[\"']"),
    "urls": ("regex", r"https?://[^\s\"'<>]+"),
    "emails": ("regex", r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "numbers": ("regex", r"-?\d+(?:\.\d+)?"),
    "lines": ("lines", None),
    "text": ("html_text", None),
    "content": ("html_text", None),
}
# Kinds of data that quoted text cannot stand for.
BINARY_KINDS = frozenset({"image", "audio", "video", "url", "path", "file", "json"})
# Kinds a response's body is as it came; any other kind is a field of the answer named after it.
BODY_KINDS = frozenset({"text", "html", "markdown", "json"})
GENERIC_INPUT = "input"  # a name that may stand for any kind: text alone, the kind no other input names beside others
TEXT_INPUTS = ("text", "html", "markdown", "content", "body", "input", "query", "summary", "message", "address")
# Who a thing goes to is the user's to say, never what a step made: "Chart 'TSLA' prices and send me the chart" sent the
# chart to the address read out of the chart (plan317). Such an input takes a said value or is asked.
_RECIPIENT_INPUTS = frozenset({"to", "recipient", "recipients", "cc", "bcc", "email", "phone", "chat_id", "channel"})
_RECIPIENT_WORDS = lazy_compile(
    r"\b(?:e-?mail address|recipients?|addressee|phone number|send(?:s)? (?:it )?to)\b", re.I
)


def _a_recipient(name: str, description: str) -> bool:
    """An input naming who or where a thing is sent (``to``: "e-mail address"), never fed by an upstream output."""
    return name.lower() in _RECIPIENT_INPUTS or _RECIPIENT_WORDS.search(description) is not None


@dataclass
class Upstream:
    node_id: str
    spec: ToolSpec
    step: TaskStep
    order: int = 0  # where its step is in the request: results collected in one list keep that order


@dataclass
class Binding:
    args: dict[str, Any]
    missing_inputs: list[str] = field(default_factory=list)  # argument names nothing in the task can fill
    # Of those, the ones the call's own item would have filled had it not held a reference: each call of
    # a step that fans out asks for its own ("download https://a/${x} and https://b/${y}": two URLs).
    own_inputs: list[str] = field(default_factory=list)
    # Quoted values left for a typed input that its type does not read ('1e400', 'five' to an integer): per
    # value, the input and what it takes, so the warning says why, not only that it went nowhere.
    unfit: dict[str, tuple[str, str]] = field(default_factory=dict)


def _ref(node_id: str, *paths: str) -> str:
    """``${node.output.a}``, or with alternatives ``${node.output.a || node.output.b}``."""
    return "${" + " || ".join(f"{node_id}.output.{path}" for path in paths) + "}"


def _request_literals(step: TaskStep, item: DataItem | None) -> tuple[TaskStep, DataItem | None]:
    """The step and item without what the request said that the run would not read as the user meant
    (``literals.unread``; the planner's own references are made by ``_ref``). Every binder below takes its
    literals from these; what is left out is asked for. The step's part is read once for all its calls."""
    return literals_of(step).step, None if item is not None and unread_item(item) else item


def declared_outputs(spec: ToolSpec) -> list[str]:
    """The names a described HTTP/command tool declares under ``outputs`` (its ``json`` field)."""
    model = spec.output_model
    if model is None or "json_" not in model.model_fields:
        return []
    for arg in typing.get_args(model.model_fields["json_"].annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return [f.alias or name for name, f in arg.model_fields.items()]
    return []


def output_paths(up: Upstream, want: str | None = None) -> list[str]:
    """Where an upstream tool's main result is in its output (alternatives, the first that is there).

    ``want`` is the kind or the input name the consumer asks for: a declared output of that name,
    else one whose name names the kind ("image_url" for an image), holds it. A tool that declares no
    outputs answers with a body: a text kind is its text, any other (an image, a sound, a ticker)
    the JSON answer's field named after that kind, else the body as it came."""
    name, spec = up.spec.name, up.spec
    if name == "http_request":
        return ["text"]
    if name == "extract_text":
        return ["first" if extraction(up.step)[0] in ("html_title", "html_text") else "matches"]
    fixed = {"read_file": "content", "shell": "stdout", "json_query": "result", "render_template": "text",
             "write_file": "path", "list_files": "entries", "sleep": "slept_s", "delete_file": "path"}  # fmt: skip
    if name in fixed:
        return [fixed[name]]
    kind = want if want in spec.output_types else next(iter(spec.output_types), None)
    outputs = declared_outputs(spec)
    if want and want in outputs:
        return [f"json.{want}"]
    for out in outputs:
        if kind and kind in _kinds_named(out):
            return [f"json.{out}"]
    for out in outputs:
        if out in spec.output_types or out in TEXT_INPUTS or out.endswith(("text", "summary", "url", "markdown")):
            return [f"json.{out}"]
    if outputs:
        return [f"json.{outputs[0]}"]
    fields = spec.output_model.model_fields if spec.output_model is not None else {}
    body = "stdout" if "stdout" in fields else "text"
    if kind and kind not in BODY_KINDS and "json_" in fields:
        return [f"json.{kind}", body]
    return [body]


def bind(
    spec: ToolSpec,
    step: TaskStep,
    item: DataItem | None,
    ups: list[Upstream],
    *,
    collect: bool,
    whole: TaskStep | None = None,
) -> Binding:
    """The call's arguments; ``whole``: the step before a fan took its items out of ``step`` (the places a fanned
    call's words name that another call's command holds are that call's)."""
    binding = _bind(spec, step, item, ups, collect=collect, whole=whole)
    if item is not None and unread_item(item):
        # the item was left out: the inputs a stand-in without the reference fills are the ones it stood for
        # (a URL with a masked credential stands for itself: each such URL is an input of its own)
        value = (
            "x"  # "Summarize /etc/passwd": a file in the workspace stands for one outside it
            if not unread(item.value)
            else REFERENCE.sub("x", item.value).replace(CREDENTIAL_MASK, "x")
            if isinstance(item.value, str)
            else type(item.value)()
        )
        stand_in = _bind(spec, step, item.model_copy(update={"value": value}), ups, collect=collect, whole=whole)
        binding.own_inputs = [n for n in binding.missing_inputs if n not in stand_in.missing_inputs]
    return binding


def _bind(
    spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], *, collect: bool, whole: TaskStep | None
) -> Binding:
    said = step.params
    said_quote = quoted(step, item)
    unread_files = [d for d in step.data if d.kind == "path" and unread_item(d)] + overwritten_files(step.data)
    step, item = _request_literals(step, item)
    binder = _BUILTIN.get(spec.name)
    binding = (
        binder(spec, step, item, ups, collect)
        if binder is not None
        else _bind_described(spec, step, item, ups, collect)
    )
    if said_quote is not None and quoted(step, item) is None and spec.name in SAID_INPUTS:
        # The text the step's own words quote was left out ("then write ${secrets.TOKEN} to out.txt"): it is
        # asked for, not replaced by what the step before made (the file list) or a default.
        # One input asked, the first: write_file's text or JSON are one thing to write ("list the files, then write
        # ${inputs.note}" asked both once the listing was written as JSON)
        for name in SAID_INPUTS[spec.name]:
            binding.args.pop(name, None)
        binding.missing_inputs.append(SAID_INPUTS[spec.name][0])
        binding.missing_inputs = list(dict.fromkeys(n for n in binding.missing_inputs if n not in binding.args))
    if unread_files and spec.name == "shell" and binding.args.pop("cmd", None) is not None:
        # "run 'wc -l' on ~/notes.txt": the file the command was to run on is one the run would not read as written
        # (no shell expands "~"); run without it, wc counted an empty standard input. The command is asked for whole.
        # So is one that would write the files it was run on ("run 'uniq' on a.txt and b.txt": b.txt written over).
        binding.args.pop("cwd", None)
        binding.missing_inputs.append("cmd")
    if spec.name == "shell" and isinstance(cmd := binding.args.get("cmd"), str):
        _ask_for_unsafe(spec, whole or step, binding, cmd)
    # A hint the request gave but in words left out above ("write it to ${HOME}/out.txt") is asked for, not
    # replaced by the binder's default (write_file's output.txt): the user named another place.
    for name in said.keys() - step.params.keys():
        if name in binding.args and name not in binding.missing_inputs:
            del binding.args[name]
            binding.missing_inputs.append(name)
    _ask_for_unmade(spec, step, ups, binding)
    held = step.repeated or (step.condition and (spec.side_effects or step.side_effects))
    if held:
        # "delete @p0 if it is empty": no call checks it. A part of a file written (`part_written`): only what it
        # writes is asked, where was said
        part = step.condition.startswith(WRITES_LESS)
        _ask_for_held(spec, binding, bool({step.capability, *step.keywords} & SENDING), first=not part)
    return binding


def _ask_for_unmade(spec: ToolSpec, step: TaskStep, ups: list[Upstream], binding: Binding) -> None:
    """A send naming a made thing ("send me the summary") that no step feeding it makes sends what it is asked, never
    what it was given instead: with no summarizer, "Summarize statement.pdf and send me the summary" e-mailed the
    statement whole, and "Compute the returns of 'MSFT' and send me the summary" e-mailed 'MSFT' (plan317)."""
    stem = made_thing_named(step.action)
    if stem is None or not spec.side_effects or not {step.capability, *step.keywords} & SENDING:
        return
    if any(stem in f"{u.spec.name} {u.spec.description}".lower() for u in ups):
        return
    described = {f.alias or name: f.description or "" for name, f in spec.input_model.model_fields.items()}
    for name, value in list(binding.args.items()):
        if _a_recipient(name, described.get(name, "")) or not (holds_reference(value) or name in TEXT_INPUTS):
            continue
        del binding.args[name]
        binding.missing_inputs.append(name)


def _ask_for_held(spec: ToolSpec, binding: Binding, sends: bool, *, first: bool = True) -> None:
    """A call said to repeat ("roll 5 dice 3 times") does its work once, and one under a condition no call checks
    ("delete @p0 if it is empty", "Email notes.txt to bob. No.") does it whatever holds: what it is given is asked
    for, as the shell's command and the wait are (`said_values`), rather than run with a note. That is every input
    carrying content: a step's result or a secret-looking value. Another input asked (a subject, an api_key) holds
    none of it: "Email notes.txt to bob@example.com. No. Summarize it" (attack242) asked only those, its body bound
    to notes.txt whole, and given them, sent the file the user took back (so did a secret's send, plan196). The
    first input it needs is asked too unless one already is ("post notes.txt to http://h if ...": where it goes); of a
    send (``sends``) always: "Maybe email the report to bob@example.com" asked only the body, so answering it sent
    to bob what the user only offered to send (attack273)."""
    names = [f.alias or name for name, f in spec.input_model.model_fields.items() if f.is_required()]
    carrying = [n for n, v in binding.args.items() if holds_reference(v) or (isinstance(v, str) and looks_secret(v))]
    opening = next((n for n in names if n in binding.args), next(iter(binding.args), None)) if first else None
    if spec.name == "write_file" and "path" in binding.missing_inputs:
        carrying = []  # "Copy a.txt to /tmp/b.txt": written where the user says again, in the workspace, sent nowhere
    asked = [opening] if opening is not None and (sends or not binding.missing_inputs) else []
    for name in dict.fromkeys([*carrying, *asked]):
        del binding.args[name]
        binding.missing_inputs.append(name)


_FIRST_WORD = lazy_compile(r"\s*(\S+)")  # read alone: split, a fanned step's whole action was, once per call


def _ask_for_unsafe(spec: ToolSpec, step: TaskStep, binding: Binding, cmd: str) -> None:
    """A command asked for whole, with why, rather than run:
    - one that never ends by itself ("run tail -f on log.txt", "run 'sleep infinity'"): run, it held the call
      until the shell's timeout killed it, and the failure was retried;
    - one a verb of starting quotes that writes a file ("start the command 'sort -o notes.txt' in bold": notes.txt
      emptied). "start" is the loosest reading of a quote as a program (the noun alone made this one a command,
      the words after it say it is text to set in bold), and a write is not undone: "run 'sort -o out.txt'"
      says it plainly, and runs;
    - one whose words name a place its call is not given (``_places_given_to_none``): it ran without it. So is
      each call of a step fanned over its commands ("run 'ls /tmp' and 'ls' in /var": `ls` listed the workspace;
      a place another call's command holds is that call's);
    - a search given nothing to search ("grep for 'x'": `searched.searches_nothing`)."""
    timeout = spec.input_model.model_fields["timeout_s"].default
    why = never_ends(cmd, binding.args.get("timeout_s", timeout))
    if why is not None:
        why = f"never ends by itself ({why}): it would run until the shell's timeout"
    elif (
        (written := written_by(cmd)) and (head := _FIRST_WORD.match(step.action)) and head[1].lower() in STARTING_HEADS
    ):
        why = f"would write {', '.join(map(repr, written))}, and a verb of starting says less than 'run' does"
    elif places := _places_given_to_none(binding, step, cmd):
        why = (
            f"names {', '.join(map(repr, places))}, which its command line does not hold: it would run without it "
            "(a file is read by its workspace path with an extension, as 'notes.txt', or a name of convention, as 'Makefile' "
            "or '.env'; a URL is fetched first)"
        )
    elif "stdin" not in binding.args and searches_nothing(cmd):
        why = "searches nothing: no file is named and no step before it gives it text; say what to search"
    if why is not None:
        del binding.args["cmd"]
        binding.args.pop("cwd", None)
        binding.missing_inputs.append("cmd")
        binding.unfit[cmd] = ("cmd", why)


# A place the words around a command name: the analysis reads a file by its extension, so "/etc/passwd",
# "/dev/zero" or "in /tmp" was left in the words, and the command ran without it: `cat` on an empty stdin answered
# "" for "run cat on /etc/passwd", `ls` listed the workspace for "run 'ls' in /tmp"; "run grep 'x' on https://h/a.txt"
# grepped an empty stdin (the URL said to be given to no call). So were, one shape each, a path from the root (any
# number of slashes: "file:///etc/passwd" is read as "file ///etc/passwd"), from a drive ("C:\Windows", read as
# "C \Windows"), from home ("~", "~/.ssh/id_rsa"), from here or above (".", "..", "../"), a hidden file (".env") and
# a relative path with a slash ("docs/README"). A URL's own path is no place of its own (the character before it
# is part of the URL).
_PLACE = lazy_compile(
    r"(?<![^\s(\[\"'])(?:/+[\w.\-]|\\\w|~|\.\.?(?=[/\s,;!?)\]\"']|$)|\.\w|\w[\w.\-]*/)[^\s,;!?)\]\"']*"
)
# Words with a slash that are no place: alternatives of small words ("and/or", "on/off", "he/she") and acronyms
# ("TCP/IP", "I/O", "CI/CD"): "run 'ls' over TCP/IP" asked for the command as if "TCP/IP" were a folder.
_ACRONYMS = lazy_compile(r"[A-Z]+(?:/[A-Z]+)+")
_SMALL_WORDS = lazy_compile(r"[a-zA-Z]+(?:/[a-zA-Z]+)+")


def _a_place(said: str) -> bool:
    """Whether a word the place pattern found names a place (``_ACRONYMS``, ``_SMALL_WORDS`` do not)."""
    if _ACRONYMS.fullmatch(said):
        return False
    return not (_SMALL_WORDS.fullmatch(said) and all(w.lower() in STOP_WORDS for w in said.split("/")))


NAMED_PLACES_SAID = 3  # enough to say why; a call stops looking there (a fanned step has a call per quote)


# Per step, not per call: a fanned step has a call per quote, and its step is the same object for each (keyed by
# identity, the step kept so that its id is not reused; read through ``literals_of`` per call, 3,000 quotes took
# 10 s at 8,000 characters)
_NAMED: dict[int, tuple[TaskStep, tuple[str, ...]]] = {}


def _places_named(step: TaskStep) -> tuple[str, ...]:
    """The places the step's words name that none of its commands holds ("run 'ls /tmp' and 'ls /var'" names each
    in one call's command), then the URLs it was given. A quote that is no command is no place given ("run grep
    'x' on the file '/etc/shadow'" grepped an empty stdin)."""
    if (known := _NAMED.get(id(step))) is not None and known[0] is step:
        return known[1]
    if len(_NAMED) >= 8:
        _NAMED.clear()
    held = {word.strip("'\"") for d in step.data if d.kind == "command" for word in str(d.value).split()}
    said = (m[0] if m[0].strip(".") in ("", "/") else m[0].rstrip(".:") for m in _PLACE.finditer(step.action))
    urls = (str(d.value) for d in step.data if d.kind == "url")
    places = tuple(dict.fromkeys([*(place for place in said if place not in held and _a_place(place)), *urls]))
    _NAMED[id(step)] = (step, places)
    return places


def _places_given_to_none(binding: Binding, step: TaskStep, cmd: str) -> list[str]:
    """The places the step names that its call is not given: neither its command line holds them, as written
    (not split: "run grep '-f /etc/passwd' on x.txt" greps for that text), nor is it where it runs."""
    given = f"{cmd}\n{binding.args.get('cwd', '')}"
    missing = (place for place in _places_named(step) if place not in given)
    return list(itertools.islice(missing, NAMED_PLACES_SAID))


def _upstream_value(ups: list[Upstream], collect: bool, want: str | None = None) -> Any:
    refs = [_ref(u.node_id, *output_paths(u, want)) for u in ups]
    if not refs:
        return None
    if collect and len(refs) > 1:  # "transcribe it and summarize it, then save them": the transcript first
        return [ref for _, ref in sorted(zip((u.order for u in ups), refs, strict=True), key=lambda p: p[0])]
    return refs[0]


def _as_text(value: Any) -> Any:
    if isinstance(value, list):  # references, or a JSON list the task gave: one line each
        return "".join(f"{v if isinstance(v, str) else json.dumps(v)}\n" for v in value)
    return value


def _http(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    url = item.value if item else next((d.value for d in step.data if d.kind == "url"), None)
    said = {"timeout_s": step.params["timeout_s"]} if "timeout_s" in step.params else {}  # said_values
    method = _method_said(step.action)
    if url is None and (method in _WITH_A_BODY or (method is None and step.side_effects)):
        # "post notes.txt to http://ann:***@host/api": the URL left out (`literals.unread`) is asked for; the step
        # before's result made the URL, a GET to what notes.txt held, and nothing was posted (attack140)
        sent = _sent(step, item, ups, collect, {"url": "", **said, "method": method or "POST"})
        return Binding(
            {k: v for k, v in sent.args.items() if k != "url"}, ["url", *sent.missing_inputs], unfit=sent.unfit
        )
    if url is None and ups:
        url = _ref(ups[0].node_id, *output_paths(ups[0], "url"))
    to_the_url = url is not None and any(d.value == url for d in step.data if d.kind == "url")
    if to_the_url and (method in _WITH_A_BODY or (method is None and step.side_effects)):
        return _sent(step, item, ups, collect, {"url": url, **said, "method": method or "POST"})
    if method not in (None, "GET"):  # "send a HEAD / DELETE request to ...": that method, with no body
        said["method"] = method
    return Binding({"url": url, **said} if url else {}, [] if url else ["url"])


# The method named for the call ("send a GET request to ...", "make a PUT request"): the method, whatever the verb
# says. "Send a POST request to https://x/u" made a GET and drew a picture of the page, "send a GET request" posted.
# After "a" or "an", or in capitals: "delete requests from https://x/u" names no DELETE.
_METHOD_SAID = lazy_compile(
    r"(?:\b(?i:an?)\s+(?i:(get|post|put|patch|delete|head|options))|\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS))"
    r"\s+(?i:request|call)s?\b"
)
_WITH_A_BODY = frozenset({"POST", "PUT", "PATCH"})


# A step fanned out over N URLs binds N calls of one action that names them all: searched once a step, not once a call
# (quadratic: 999 nodes took 3-5 s). A few kept: the calls of a step are bound one after another, and an action can
# be long (a clause naming 10,000 URLs).
@functools.lru_cache(maxsize=16)
def _method_said(action: str) -> str | None:
    """The method a clause names: "a PUT request to", or after the URL "with PUT", "using a PATCH call"."""
    named = _METHOD_SAID.search(action) or METHOD_AFTER.search(action)
    return (named.group(1) or named.group(2)).upper() if named else None


# What the HTTP call's text body cannot carry: a file's bytes of these kinds are no text
_NOT_TEXT = frozenset({"image", "audio", "video"})


def _sent(step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool, args: dict[str, Any]) -> Binding:
    """A clause sending something to the URL it names ("post notes.txt to https://x/u", "upload 'hi' to ..."): a
    POST (or the PUT or PATCH said, ``args``) whose body is what it sends, a quote or what the steps before made (a text file named is read in front,
    ``converters.sends_to_a_url``). Fetched, "Post notes.txt to https://x/u" made a GET with no body. A picture,
    a sound or a video named is asked for, with why: the body is text, and its path sent in its place would be
    a wrong body sent without a word."""
    binary = [str(d.value) for d in step.data if d.kind == "path" and set(types_of(d)[:1]) & _NOT_TEXT]
    if binary:
        why = "is a file whose bytes are no text: the request sends a text body, and its path sent instead is not the file"
        return Binding(args, ["body"], unfit=dict.fromkeys(binary, ("body", why)))
    said = quoted(step, item)
    # the files the clause names that a step before read for it to send
    read = [str(d.value) for u in ups for d in u.step.data if d.kind == "path" and str(d.value) in step.action]
    if said is not None and read:
        # "post notes.txt to https://x/u with the header 'X: 1'": the quote was sent, notes.txt read for nothing
        why = f"is said beside {', '.join(read)}, read to be sent: which is the body is asked"
        return Binding(args, ["body"], unfit={str(said): ("body", why)})

    value = said or _upstream_value(ups, collect)
    if value is None:  # "post to https://x/u": a POST with no body, as said; "post ~/.ssh/id_rsa to ...", asked
        if _names_what_it_sends(step.action, str(args["url"])) or _after_a_missing_step(step):
            return Binding(args, ["body"])
        if _method_said(step.action) is None and base_verb(next(iter(words(step.action)), "")) in SENT_TO_A_URL:
            # "send a request to https://x/u": nothing sent and no method said, a POST is no more said than a GET
            # (an empty POST was made, unasked); the method is asked for
            return Binding({k: v for k, v in args.items() if k != "method"}, ["method"])
        return Binding(args)
    if said is None and not isinstance(value, list) and len(ups) == 1 and not _text_out(ups[0]):
        # "list the files and post the list to ...": a list or an object made is sent as JSON; as the text body,
        # the run failed at the call, after the listing ("body: Input should be a valid string")
        return Binding(args | {"json": value})
    return Binding(args | {"body": _as_text(value) if isinstance(value, list) else f"{value}"})


def _after_a_missing_step(step: TaskStep) -> bool:
    """Whether a send naming nothing follows a step no tool serves ("Summarize notes.txt, then post to https://x/u"
    with no summarizer): its result was the body, and the POST went out empty beside the missing step. The plan
    keeps in ``depends_on`` only the steps served (`planner.build_plan`), so one it only follows and no longer
    depends on is missing; "post nothing to", "an empty POST" still send nothing, as said."""
    return bool(set(step.only_after) - set(step.depends_on)) and not says_it_sends_nothing(step.action)


def _text_out(up: Upstream) -> bool:
    """Whether the result an upstream step gives by default (``output_paths``) is text, or not known to be other."""
    model, path = up.spec.output_model, output_paths(up)[0]
    found = model.model_fields.get(path) if model is not None else None
    return found is None or found.annotation in (str, str | None)


# Words of a sending clause that name the call, not what it sends: "send a POST request to https://x/u"
_THE_CALL = frozenset(
    {"a", "an", "request", "requests", "post", "put", "patch", "http", "https", "call", "empty", "nothing", "ping"}
)
_TO_THE_URL = frozenset({"to", "at", "on", "onto", "into", "via", "over"})


def _names_what_it_sends(action: str, url: str) -> bool:
    """Whether a sending clause names what it sends before the URL ("post ~/.ssh/id_rsa to", "post the file list
    to", "post it to"), beyond its verb and the call itself: given nothing for it, "Post /etc/passwd to https://x/u"
    made an empty POST, unsaid, where the body is asked for."""
    before = action[: action.find(url)] if url in action else action
    said = before.split()[1:]
    while said and said[-1].lower() in _TO_THE_URL:
        said = said[:-1]
    # "post to https://x/u the word done", "... saying it finished": what goes, said after the URL
    after = action[action.find(url) + len(url) :] if url and url in action else ""
    return any(w.lower().strip(".,;:!?") not in _THE_CALL | DETERMINERS for w in said) or said_after_the_url(after)


# A verb of looking through a text, up to four words, then "for": "search the page for 'error'", "scan it for 'TODO'".
_LOOKING_FOR = lazy_compile(
    r"\b(?:search|scan|look|check|filter)\w*\b(?:\s+\S+){0,4}?\s+for\s+"
    # "the lines with 'error'", "lines that mention 'x'": the quote is what the lines hold, not the text (attack122)
    r"|\b(?:lines?|rows?|sentences?|entries|paragraphs?)\s+(?:(?:of|in)\s+\S+\s+)?(?:that\s+|which\s+)?"
    r"(?:with|containing|contain|contains|mentioning|mentions?|holding|holds?|having|has|have|including|includes?"
    r"|matching|match(?:es)?)\s+",
    re.IGNORECASE,
)
_REGEX_SPECIALS = lazy_compile(r"([\\.^$|?*+()\[\]{}])")


# Between two quotes looked for: "for 'a' and 'b'", "'a', 'b' or 'c'" (a step's action may keep only the space).
_BETWEEN_SOUGHT = lazy_compile(r"\s*,?\s+(?:(?:and|or)\s+)?", re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def _looked_for(action: str, quotes: tuple[str, ...]) -> frozenset[str]:
    """The quotes a clause looks for, each after the verb's "for" or the one before it and "and" / "or" / a comma:
    found once per clause, not per quote."""
    found = _LOOKING_FOR.search(action)
    at, sought_ones = (found.end() if found else -1), set[str]()
    while at >= 0:
        said = max((q for q in quotes if action.startswith(q, at)), key=len, default=None)
        if said is None:
            break
        sought_ones.add(said)
        between = _BETWEEN_SOUGHT.match(action, at + len(said))
        at = between.end() if between else -1
    return frozenset(sought_ones)


def sought(step: TaskStep, item: DataItem) -> bool:
    """Whether a quote is what the step looks for ("search the page for 'error'", "for 'a' and 'b'"), not a text
    to work on."""
    quotes = tuple(str(d.value) for d in step.data if d.kind == "text" and d.value)
    return item.kind == "text" and str(item.value) in _looked_for(step.action, quotes)


def _as_said(text: str) -> str:
    """A pattern matching ``text`` as written (RE2's \\Q...\\E, escaped when it holds \\E)."""
    return _REGEX_SPECIALS.sub(r"\\\1", text) if "\\E" in text else f"\\Q{text}\\E"


def extraction(step: TaskStep) -> tuple[str | None, str | None]:
    """extract_text's mode and pattern for a step: given, named by a noun ("the titles"), the lines holding a quote
    looked for, or a quoted regex."""
    if step.params.get("mode"):
        return step.params["mode"], step.params.get("pattern")
    looked_for = [d for d in step.data if sought(step, d)]
    if looked_for:
        # the lines that hold the words as said: no character of them is a regex's ("a.b", "(x)"); quoted whole (RE2's
        # \Q...\E) the pattern shows them as the user wrote them
        return "lines", "|".join(_as_said(str(d.value)) for d in looked_for)
    for word in re.findall(r"[a-z]+", step.action.lower()):
        if word in EXTRACTIONS:
            return EXTRACTIONS[word]
    quoted = [d.value for d in step.data if d.kind == "text" and "@" not in str(d.value)]
    if quoted:
        return "regex", str(quoted[0])
    return step.params.get("mode"), step.params.get("pattern")


def _extract(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    # the quote looked for is no text to look through ("find the lines with 'x'" searched 'x' itself): asked
    text = _upstream_value(ups, collect) if ups else (item.value if item and not sought(step, item) else None)
    mode, pattern = extraction(step)
    mode = mode or ("html_text" if ups and ups[0].spec.name == "http_request" else "regex" if pattern else "lines")
    args: dict[str, Any] = {"text": _as_text(text), "mode": mode}
    if pattern:
        args["pattern"] = pattern
    return Binding(args, [] if text is not None else ["text"])


def _parsed(up: Upstream) -> str:
    """A download as data: the response parsed as JSON when it is JSON, else its text."""
    return f"${{{up.node_id}.output.json || {up.node_id}.output.text}}"


def _write(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    # No place named ("summarize output.txt and save it"): a default output.txt wrote over whatever file held the
    # name, the one just read too. Where it goes is asked for.
    path = str(step.params.get("path") or "")
    # what the step's own words quote is what it writes ("list the files, then write 'done' to out.txt"), not
    # what the step it comes after made
    said = quoted(step, item)
    value = said or _upstream_value(ups, collect)
    if path.endswith(".json") and ups and all(u.spec.name == "http_request" for u in ups):
        value = [_parsed(u) for u in ups] if collect and len(ups) > 1 else _parsed(ups[0])
    if value is None:
        value = next((d.value for d in step.data if d.kind in ("text", "json")), None)
    if path.endswith(".json") and isinstance(value, str) and (parsed := json_of(DataItem(kind="text", value=value))):
        value = parsed  # "write '{"a": 1}' to out.json": the object, not a JSON string holding it
    where, unnamed = ({"path": path}, []) if path else ({}, ["path"])
    if step.params.get("mode") == "append":  # "append 'x' to @p0" (said_values): never the file written over
        where["mode"] = "append"
    if value is None:
        # Nothing says what to write: the user must, rather than a run that "succeeds" writing "".
        key = "json" if path.endswith(".json") else "content"
        return Binding(where, [*unnamed, key])
    if path.endswith(".json") or (
        said is None and not isinstance(value, list) and len(ups) == 1 and not _text_out(ups[0])
    ):
        # "list the files and write them to files.txt": a list or an object made is written as JSON; as the text
        # content, the plan was refused ("content: ${list.output.entries} gives a list")
        return Binding(where | {"json": value}, unnamed)
    return Binding(where | {"content": _as_text(value) if isinstance(value, list) else f"{value}"}, unnamed)


def _path_tool(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    path = step.params.get("path") or (item.value if item and item.kind == "path" else None)
    if path is not None and spec.side_effects and not deletes_the_file(step.action, str(path)):
        # "Caption photo.jpg. Remove the car.", "Remove the password from config.txt": a part of the file, or
        # nothing of it; given the file, delete_file removed it whole. What is to go is asked for, never guessed
        return Binding({}, ["path"])
    if path is None and ups:
        path = _ref(ups[0].node_id, *output_paths(ups[0]))
    if path is None and spec.name == "list_files":
        # "list the files in docs, then save the listing to files.txt": a folder said by its bare name, not the
        # workspace ("." was listed and saved as docs' listing)
        return Binding({"path": _folder_said(step.action) or "."})
    if path is None:
        return Binding({}, ["path"])
    return Binding({"path": path})


# A folder said by a bare name after "in" ("the files in docs", "in the src folder"), the clause ending there; a
# hidden one ("in .ssh") or one below another ("in ./docs/api/") too: "." was listed in their place
_FOLDER_SAID = lazy_compile(
    r"\b(?:in|inside|under|within)\s+(?:the\s+|my\s+)?((?:\./)?\.?[A-Za-z_][\w-]*(?:[./]\.?[\w-]+)*)/?"
    r"(?:\s+(?:folder|directory|dir))?\s*(?:[,.;!?]|$)",
    re.IGNORECASE,
)
_NO_FOLDER = frozenset(
    [
        "it",
        "them",
        "here",
        "there",
        "this",
        "that",
        "current",
        "order",
        "detail",
        "details",
        "full",
        "bulk",
        "total",
        "general",
        "particular",
        "short",
        "brief",
        "turn",
        "sequence",
        "parallel",
        "folder",
        "directory",
        "dir",
        "workspace",
    ]
)


def _folder_said(action: str) -> str | None:
    """The folder a listing's clause names by a bare name, if any: "in docs", "in the src folder"."""
    said = _FOLDER_SAID.search(action)
    name = said.group(1) if said else None
    return name if name is not None and name.lower() not in _NO_FOLDER else None


def _shell(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    commands = [d.value for d in step.data if d.kind == "command" and not unread(d.value)]
    # a call per result of the steps before ("read a.txt and b.txt, then run 'wc -l' on them") has no item of
    # its own: the step's one command is each call's (it was asked for, in each call)
    own = commands[0] if item is None and len(commands) == 1 else None
    cmd = item.value if item and item.kind == "command" else step.params.get("cmd") or _run_quote(step, item) or own
    args: dict[str, Any] = {"cmd": cmd} if cmd else {}
    if cmd and step.params.get("cwd"):
        args["cwd"] = step.params["cwd"]  # "run 'make' in build/"
    if cmd and "timeout_s" in step.params:
        args["timeout_s"] = step.params["timeout_s"]  # "run 'sleep 100' with a 200 s timeout" (said_values)
    if ups:
        args["stdin"] = _as_text(_upstream_value(ups, collect))
    return Binding(args, [] if cmd else ["cmd"])


# Words that may stand between a verb of running and the command it runs ("run the shell command 'ls'").
_BEFORE_A_COMMAND = frozenset({
    "the", "this", "that", "these", "my", "our", "your", "a", "an", "shell", "bash", "terminal", "command",
    "commands", "script", "scripts", "program", "programs", "line", "lines", "executable", "binary",
})  # fmt: skip
_RUN_VERB = lazy_compile(rf"\b(?:{'|'.join(RUN_HEADS)})\b", re.IGNORECASE)


BEFORE_A_COMMAND_CHARS = 200  # where the verb of running is looked for before a quote: more words are no fillers


def _run_quote(step: TaskStep, item: DataItem | None) -> str | None:
    """The text the step quotes, as its command line, unless it comes after a word a verb of running takes as its
    program ("run grep -C 'TODO' on notes.txt", "run foo 'rm -rf x'"): the quote is that program's argument.
    Taken as the command, the pattern or text was run as a program of its own; the command is asked for instead."""
    quote = quoted(step, item)
    if quote is None:
        return None
    action = step.action
    at = action.rfind(quote)  # the quote itself: its words said earlier ("rm x, run foo 'rm x'") are not it
    runs = list(_RUN_VERB.finditer(action, max(at - BEFORE_A_COMMAND_CHARS, 0), max(at, 0)))
    if at < 0 or not runs:
        # no verb of running just before it: "type 'ls' in the terminal" is the command, and words enough to push
        # the verb out of reach are no fillers
        return None if at > BEFORE_A_COMMAND_CHARS and _RUN_VERB.search(action, 0, at) else quote
    between = action[runs[-1].end() : at].lower().split()
    return None if any(word not in _BEFORE_A_COMMAND for word in between) else quote


def _json_query(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    data = _upstream_value(ups, collect) if ups else (item.value if item else None)
    if isinstance(data, str) and item is not None and (parsed := json_of(item)) is not None:
        data = parsed
    if data is None:
        data = next((parsed for d in step.data if (parsed := json_of(d)) is not None), None)
    return Binding(
        {"data": data, "expression": step.params.get("expression", "@")}, [] if data is not None else ["data"]
    )


def _render(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    value = _upstream_value(ups, collect)
    template = step.params.get("template") or quoted(step, item) or "{{ input }}"
    return Binding({"template": template, "values": {"input": value if value is not None else ""}})


# A number standing on its own ("2m", "1e3 seconds", "1h1h1h", "-5 seconds"), not inside a word or a name
# ("notes2.txt", "notes-2.txt"), or a word of time or of a number no reading of durations took: "sleep -5
# seconds", "sleep a million seconds", "wait a day" slept the tool's default of 1 s in silence.
_A_NUMBER = lazy_compile(
    r"(?<![\w.\-])-?\d|\b(?:ms|milliseconds?|secs?|seconds?|minutes?|mins?|hrs?|hours?|days?|weeks?|months?|years?"
    r"|hundreds?|thousands?|millions?|billions?|trillions?|dozens?)\b",
    re.IGNORECASE,
)


def _sleep(spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool) -> Binding:
    if "seconds" in step.params:
        return Binding({"seconds": float(step.params["seconds"])})
    if _A_NUMBER.search(step.action):
        # the user gave a number no reading of durations took ("sleep 2m", "sleep 1e3 seconds", a hundred-digit
        # hour): the tool's default of 1 s was slept in silence; how long is asked for
        return Binding({}, missing_inputs=["seconds"])
    return Binding({"seconds": 1.0})


# Per built-in tool taking a text its step quotes, the inputs that text fills (the first is asked for).
SAID_INPUTS = {"write_file": ("content", "json"), "shell": ("cmd",), "render_template": ("template",)}

_BUILTIN = {
    "http_request": _http,
    "extract_text": _extract,
    "write_file": _write,
    "read_file": _path_tool,
    "list_files": _path_tool,
    "delete_file": _path_tool,
    "shell": _shell,
    "json_query": _json_query,
    "render_template": _render,
    "sleep": _sleep,
}


def _bind_described(
    spec: ToolSpec, step: TaskStep, item: DataItem | None, ups: list[Upstream], collect: bool
) -> Binding:
    """Inputs by name first (an upstream output ``lat`` feeds ``lat``), then by the data type each
    input takes: an earlier step that makes it, else the request's data of that type."""
    args: dict[str, Any] = {}
    missing: list[str] = []
    unfit: dict[str, tuple[str, str]] = {}
    fields = [(f.alias or name, f) for name, f in spec.input_model.model_fields.items()]
    if not takes_what_was_made(spec, step):
        ups = []  # "Summarize notes.txt, then send a note 'Done'": the summary was not asked to be sent
    upstream_outputs = {out: u for u in ups for out in declared_outputs(u.spec)}
    literals = CallLiterals(item, literals_of(step))
    waiting = list(ups)
    kinds = _kinds_of([(name, info.description or "") for name, info in fields], spec)
    # The question the request asks goes to the input that takes a question ("q" of a tool answering
    # from a context), not to the first text input, with the context from an earlier step beside it.
    asked = literals.first("question", _is_question)
    asking = next((name for name, info in fields if names_question(name, info.description or "")), None)
    if asked is not None and asking is not None and asking not in step.params:
        args[asking] = asked.value
        literals.take(asked)
    for n, ((name, info), kind) in enumerate(zip(fields, kinds, strict=True)):
        if name in args:
            continue
        if name in step.params and not holds_reference(step.params[name]):
            value = step.params[name]
            wants_list = typing.get_origin(info.annotation) is list or "list[" in str(info.annotation)
            if wants_list and not isinstance(value, list):
                args[name] = [value]
            elif (typed := _typed(value, info)) is not _UNFIT:
                args[name] = typed
            else:
                # a hint of the wrong type is asked for, not passed to fail at the call; optional too: the user said
                # a value ("roll 5 dice with 999999999999999999999 sides" rolled six-sided dice in silence)
                missing.append(name)
        elif name in upstream_outputs:  # same name upstream: lat -> lat
            up = upstream_outputs[name]
            args[name] = _ref(up.node_id, f"json.{name}")
            waiting = [u for u in waiting if u is not up]
        elif (kind == "text" or (kind is None and name in TEXT_INPUTS)) and (
            asked := literals.first("query", _a_query)
        ):
            # the question the clause asks, not what a step before it made ("then, what colour is it?")
            args[name] = asked.value
            literals.take(asked)
        elif (
            waiting
            and not _a_recipient(name, info.description or "")
            and (any(kind in u.spec.output_types for u in waiting) if kind else name in TEXT_INPUTS or len(fields) == 1)
        ):
            feeding = [u for u in waiting if kind is None or kind in u.spec.output_types]
            # Inputs of one kind share the steps that feed it, one each ("how similar is the caption
            # to the transcript": a and b); the last of them collects what is left.
            spread = kind is not None and not step.aggregate and kind in kinds[n + 1 :]
            chosen = feeding if collect and not spread else feeding[:1]
            args[name] = _as_text(_upstream_value(chosen, collect and len(chosen) > 1, kind or name))
            waiting = [u for u in waiting if u not in chosen]
        elif (said := recipient_said(name, info.description or "", step.action, step.data)) is not None:
            args[name] = said  # "Send 'hello' to +15550100": the phone number said (it was asked)
        elif (
            found := _literal_for(
                kind, name, literals, _scalar(info.annotation), _who_or_what(name, info, fields, step)
            )
        ) is not None and (typed := _typed(_as_json(found, kind).value, info)) is not _UNFIT:
            args[name] = typed
            literals.take(found)
        elif info.is_required():
            missing.append(name)
            scalar = _scalar(info.annotation)
            if scalar in SCALAR_WORDS and (left := literals.first("text", _a_text)) is not None:
                unfit[str(left.value)] = (name, SCALAR_WORDS[scalar])
    # An earlier step this one depends on for data still unused: it feeds the first input left
    # empty ("email them": the flagged transactions go in the message's body).
    described = {name: info.description or "" for name, info in fields}
    for name in list(missing):
        if _a_recipient(name, described[name]):
            continue
        feeding = [u for u in waiting if set(u.spec.output_types) & set(spec.input_types)]
        if not feeding:
            break
        chosen = feeding if collect else feeding[:1]
        args[name] = _as_text(_upstream_value(chosen, collect and len(chosen) > 1, name))
        waiting = [u for u in waiting if u not in chosen]
        missing.remove(name)
    return Binding(args, missing, unfit={v: said for v, said in unfit.items() if said[0] in missing})


def _as_json(literal: DataItem, kind: str | None) -> DataItem:
    """A quote that reads as JSON, given to an input taking JSON, as its value; to any other input, as written."""
    parsed = json_of(literal) if kind == "json" and literal.kind == "text" else None
    return literal if parsed is None else DataItem(kind="json", value=parsed)


def _is_question(literal: DataItem) -> bool:
    """The clause's own question (a query), or quoted text that asks one."""
    return literal.kind == "query" or (literal.kind == "text" and str(literal.value).rstrip().endswith("?"))


SCALAR_WORDS = {int: "an integer", float: "a number", bool: "true or false"}  # what a typed input takes, said
_UNFIT = object()  # what ``_typed`` answers for a value the input's type does not read


def _typed(value: Any, info: Any) -> Any:
    """``value`` as the input's type takes it: a quoted '5' to an integer is 5 and '3.5' to a number 3.5 (a string
    in the plan, "5" where the tool's schema says integer), a number to a string its text ("10115"), as written.
    A word ('MSFT') is no value for an input that takes a list or an object, nor a number unless it reads as one:
    'USD' given to an amount made a plan the validation refused; such a value is ``_UNFIT``, to be asked for."""
    annotation = str(info.annotation)
    container = typing.get_origin(info.annotation) in (list, dict) or "list[" in annotation or "dict[" in annotation
    scalar = _scalar(info.annotation)
    if isinstance(value, str):
        if container or (scalar not in (None, str) and not _reads_as(value, scalar)):
            return _UNFIT
        return value if scalar in (None, str) else _read(value, scalar)
    if scalar is str and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) and value.is_integer() else str(value)
    if scalar is int and isinstance(value, float):
        return int(value) if value.is_integer() else _UNFIT  # 3.5 dice is no count
    return value


def _scalar(annotation: Any) -> type | None:
    """The scalar type an input takes, optional or not (``float``, ``float | None``); None for any other."""
    return next((t for t in (bool, int, float, str) if _takes_only(annotation, t)), None)


def _read(text: str, kind: type) -> Any:
    return text.strip().lower() == "true" if kind is bool else kind(text.strip())


def _takes_only(annotation: Any, kind: type) -> bool:
    """An input of that scalar type, optional or not (``float``, ``float | None``)."""
    return annotation is kind or set(typing.get_args(annotation)) - {type(None)} == {kind}


# A number as the user writes one: Python reads "nan", "1_000", "1e999" (inf) and other scripts' digits too.
_WRITTEN_NUMBER = {
    int: lazy_compile(r"[+-]?\d{1,18}", re.ASCII),
    float: lazy_compile(r"[+-]?(?:\d{1,18}(?:\.\d*)?|\.\d+)", re.ASCII),
}


def _reads_as(text: str, kind: type) -> bool:
    if kind is bool:
        return text.strip().lower() in ("true", "false")
    written = _WRITTEN_NUMBER.get(kind)
    return written is not None and written.fullmatch(text.strip()) is not None


def _kinds_of(fields: list[tuple[str, str]], spec: ToolSpec) -> list[str | None]:
    """The data type each input takes. With as many inputs as types, an input no word names takes a type no other
    input names, in the order the tool lists them; so does a generic "input" beside others (an image editor's
    ``input`` and ``prompt``: read as text, "input" was given the instruction and the picture went to the prompt)."""
    kinds = [_kind_of(name, description, spec) for name, description in fields]
    if len(fields) != len(spec.input_types):
        return kinds
    kinds = [
        None
        if name == GENERIC_INPUT and len(fields) > 1 and not _kinds_named(description) & set(spec.input_types)
        else kind
        for (name, description), kind in zip(fields, kinds, strict=True)
    ]
    unnamed = list((Counter(spec.input_types) - Counter(k for k in kinds if k)).elements())
    unnamed.sort(key=spec.input_types.index)
    return [kind or (unnamed.pop(0) if unnamed else None) for kind in kinds]


def _kind_of(name: str, description: str, spec: ToolSpec) -> str | None:
    """The data type an input takes: one of the tool's input types its name or description names."""
    named = _kinds_named(f"{name} {description}")
    for kind in spec.input_types:
        if kind in named or kind.rstrip("s") in named:
            return kind
    if name in TEXT_INPUTS or name in TOLD_INPUTS:
        return "text" if "text" in spec.input_types or not spec.input_types else None
    return None


def _kinds_named(text: str) -> set[str]:
    """The words of a name or description, with the kind of data each names ("photo" is an image)."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return words | {TYPE_WORDS[w] for w in words if w in TYPE_WORDS}


def _a_query(literal: DataItem) -> bool:
    return literal.kind == "query"


def _a_text(literal: DataItem) -> bool:
    return literal.kind == "text"


# An address, a number or a channel one sends to, said whole: who a send goes to
_AN_ADDRESS = lazy_compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d ().-]{6,}\d|#[\w.-]+")


def _who_or_what(name: str, info: Any, fields: list[tuple[str, Any]], step: TaskStep) -> tuple[str, str] | None:
    """Which literals a send's input may take: its recipient only one said as who ("to 'Bob'", an address, a phone
    number), its other inputs never an address: "Message 'hello there' to Bob" posted to the channel "hello there",
    "Email the numbers in b.txt to bob@x.com" sent the address as the body. None for a tool sending to no one."""
    if _a_recipient(name, info.description or ""):
        return ("who", step.action)
    if any(_a_recipient(other, i.description or "") for other, i in fields):
        return ("what", "")
    return None


def _suits(literal: DataItem, side: tuple[str, str] | None) -> bool:
    if side is None or not isinstance(literal.value, str):
        return True
    address = _AN_ADDRESS.fullmatch(literal.value.strip()) is not None
    if side[0] == "what":
        return not address
    said_to = re.search(rf"\b(?:to|cc|bcc)\s+[\"']?{re.escape(literal.value)}", side[1], re.IGNORECASE)
    return address or said_to is not None


def _literal_for(
    kind: str | None,
    name: str,
    literals: CallLiterals,
    scalar: type | None = None,
    side: tuple[str, str] | None = None,
) -> DataItem | None:
    """``side``: of a send, whether the input says who it goes to or what goes (``_who_or_what``)."""
    from orchestra.analysis.data import types_of

    def fits(literal: DataItem) -> bool:
        if not _suits(literal, side):
            return False
        if name in TOLD_INPUTS and literal.kind in ("path", "url"):
            return False  # a file's name is never how the user tells a tool to work ("edit a.jpg and notes.txt")
        if kind == "text" and literal.kind in ("path", "url"):
            # nor is it the text a tool works on: "Should I summarize notes.txt?", no reader planned before it,
            # summarised the words "notes.txt" (attack261); the text is asked for
            return False
        return (kind is not None and kind in types_of(literal)) or name == literal.kind

    def reads(literal: DataItem) -> bool:
        return literal.kind == "text" and scalar is not None and _reads_as(str(literal.value), scalar)

    def a_text(literal: DataItem) -> bool:
        return _a_text(literal) and _suits(literal, side)

    found = literals.first(("fits", kind, name, side), fits)
    if found is not None:
        return found
    if kind is None and scalar in (int, float):
        return literals.first(("reads as", scalar), reads)  # "roll '5' dice": the quote the integer reads
    if (kind is not None and kind not in BINARY_KINDS) or (kind is None and name in TEXT_INPUTS):
        # quoted text can be an address, a city, a query...
        return literals.first("text" if side is None else ("text", side), a_text)
    return None
