"""Words the heuristic backend understands: verbs -> capabilities, and what each capability makes.

Kept as data so a registry with its own vocabulary still works: a word that is one of the registry's
capabilities is understood even when it is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Action:
    capability: str
    aliases: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    sink: bool = False  # collects its inputs (one file, one message) rather than working per item
    side_effects: bool = False
    seconds: float = 1.0  # a rough duration for estimates before any history exists


FETCH = Action("fetch", ("download", "http", "web"), ("html", "text", "json"), ("url",), seconds=1.0)
EXTRACT = Action("extract", ("parse", "regex"), ("text", "json"), ("text", "html"), seconds=0.1)
WRITE = Action("write", ("save", "file"), ("path",), ("text", "json"), sink=True, side_effects=True, seconds=0.1)
READ = Action("read", ("file",), ("text",), ("path",), seconds=0.1)
LIST = Action("list", ("filesystem",), ("file_list", "json"), ("path",), seconds=0.1)
SHELL = Action("shell", ("command", "process"), ("text",), ("command",), side_effects=True, seconds=1.0)
QUERY = Action("query", ("json", "transform"), ("json",), ("json",), seconds=0.1)
RENDER = Action("template", ("format", "report"), ("text", "report"), ("json", "text"), sink=True, seconds=0.1)
SLEEP = Action("sleep", ("wait", "delay"), (), (), seconds=1.0)
SUMMARIZE = Action("summarize", ("summary",), ("summary", "text"), ("text", "markdown"), seconds=5.0)
TRANSLATE = Action("translate", ("translation",), ("translation", "text"), ("text", "summary"), seconds=3.0)
SEARCH = Action("search", ("find",), ("search_results", "url", "json"), ("query", "text"), seconds=2.0)
SEND = Action("send", ("notify", "message", "email"), (), ("text", "summary", "report"), True, True, 1.0)
POST = Action("message", ("post", "chat", "notify"), ("message",), ("text", "summary"), True, True, 1.0)
EMAIL = Action("email", ("mail", "send"), ("email_receipt",), ("text", "summary", "report"), True, True, 1.0)
UPLOAD = Action("upload", ("storage", "publish"), ("url",), ("text", "json", "report"), True, True, 2.0)
CONVERT = Action("convert", ("format",), ("text",), (), seconds=1.0)
COUNT = Action("count", ("statistics",), ("text",), ("text",), seconds=0.5)

VERBS: dict[str, Action] = {
    **dict.fromkeys(("download", "fetch", "get", "retrieve", "grab", "scrape", "crawl", "request", "curl", "call",
                     "load", "pull"), FETCH),
    **dict.fromkeys(("extract", "parse", "pick", "collect", "find_in"), EXTRACT),
    **dict.fromkeys(("write", "save", "store", "dump", "output", "persist", "record"), WRITE),
    **dict.fromkeys(("read", "open"), READ),
    **dict.fromkeys(("list", "enumerate"), LIST),
    **dict.fromkeys(("run", "execute", "exec", "invoke"), SHELL),
    **dict.fromkeys(("query", "filter", "select", "transform", "reshape"), QUERY),
    **dict.fromkeys(("render", "format", "fill", "compose", "template"), RENDER),
    **dict.fromkeys(("sleep", "wait", "pause", "delay"), SLEEP),
    **dict.fromkeys(("summarize", "summarise", "condense", "digest", "tldr"), SUMMARIZE),
    **dict.fromkeys(("translate",), TRANSLATE),
    **dict.fromkeys(("search", "google", "lookup"), SEARCH),
    **dict.fromkeys(("send", "notify", "alert"), SEND),
    **dict.fromkeys(("post", "message", "tell"), POST),
    **dict.fromkeys(("email", "mail"), EMAIL),
    **dict.fromkeys(("upload", "publish"), UPLOAD),
    **dict.fromkeys(("convert", "turn"), CONVERT),
    **dict.fromkeys(("count",), COUNT),
}  # fmt: skip

# Nouns that name data, not an action: they never choose a capability on their own.
GENERIC_NOUNS = frozenset(
    {"url", "urls", "link", "links", "text", "html", "json", "file", "files", "path", "data", "web", "page",
     "pages", "title", "titles", "content", "result", "results", "output", "it", "them", "list", "create",
     "report", "format", "time", "find", "send", "get", "log", "image", "read", "write", "save", "search",
     "extract", "convert", "query", "count", "transform", "verify", "describe", "parse", "history", "post",
     "comment", "reverse", "lookup", "network", "event", "schedule", "notify", "publish", "language", "nlp",
     "llm", "analyze", "classify", "tag", "summary", "translation", "fetch", "http", "download"}
)  # fmt: skip

# Words saying a step uses what the previous one produced.
ANAPHORA = frozenset(
    {"it", "them", "they", "those", "these", "this", "that", "result", "results", "output", "outputs", "each",
     "titles", "title", "summary", "summaries", "text", "contents", "content", "there", "its", "their"}
)  # fmt: skip

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "a couple of": 2, "both": 2}  # fmt: skip

# What to extract, by the noun the task uses: (mode, pattern).
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


@dataclass
class Vocabulary:
    """The registry's capabilities, so nouns like 'weather' or 'geocode' are understood too."""

    capabilities: dict[str, int] = field(default_factory=dict)  # capability -> number of tools serving it

    def serves(self, capability: str) -> bool:
        return self.capabilities.get(capability, 0) > 0


def aliases(capability: str) -> tuple[str, ...]:
    """The capability words a step of ``capability`` may be served by."""
    for action in VERBS.values():
        if action.capability == capability:
            return (capability, *action.aliases)
    return (capability,)
