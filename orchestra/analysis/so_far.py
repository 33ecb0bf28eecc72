"""What a request's steps planned so far hold, and which of the user's data a step may take, kept up to
date as the steps are planned one by one.

Linking a step asks the same questions of everything before it (which step last made an image, which
of the user's files a step already took, which results nobody used yet). Asked of the whole list each
time, a request of thousands of clauses took time in the square of its length; both records here
grow with each step instead, so each question costs what its answer holds.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Iterable

from orchestra.analysis.data import file_named, fits, types_of
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.words import TYPE_WORDS, base_verb, is_verb, terms, words

# The terms of the kinds of data: "the text" names no one step's result, as every text tool's name may hold
# it; "the transcript" and "the caption" do.
KIND_TERMS = frozenset(terms(" ".join(set(TYPE_WORDS.values()))))
FANNED = ("url", "path", "command", "json")  # kinds of items a step makes one call per item of


def key(item: DataItem) -> tuple[str, str]:
    """Equal items have equal keys: "photo.jpg" named twice is one file, and so is "./photo.jpg" (``file_named``)."""
    return item.kind, repr(file_named(item.value) if item.kind == "path" else item.value)


class Names:
    """Step ids not taken yet: ``base``, then ``base_2``, ``base_3``... Each base remembers how far it
    got, so the thousandth step of one kind does not try the 999 names before it. ``taken`` is shared:
    an id counts as taken once its step is in it."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self._next: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        if base not in self.taken:
            return base
        n = self._next.get(base, 2)
        while f"{base}_{n}" in self.taken:
            n += 1
        self._next[base] = n
        return f"{base}_{n}"


class Planned:
    """The steps planned so far: brought up to date from the list of steps, which only grows while a
    request is read (``update`` takes the steps appended since it was last called)."""

    def __init__(self) -> None:
        self.seen = 0
        self.position: dict[str, int] = {}
        self.makers: dict[str, list[TaskStep]] = {}  # per kind of data, the steps that make it, oldest first
        self.used: set[str] = set()  # steps another step takes data from (not one it only comes after)
        self.open: dict[str, TaskStep] = {}  # the steps no step takes data from yet, oldest first
        self.taken: set[tuple[str, str]] = set()  # the user's data some step takes
        self.ids: set[str] = set()
        self.names = Names(self.ids)
        self.tools: set[str] = set()  # the tools chosen so far
        self.tool_terms: set[str] = set()  # the terms of their names: what "a picture of the summary" may name
        self.by_work: dict[str, TaskStep] = {}  # per term of a step's verb or tool name, the newest such step
        self.work_terms: dict[str, frozenset[str]] = {}  # per step, the terms of its verb and tool name
        self.makes: dict[str, TaskStep] = {}  # the steps that make a result (not a sink's), by id
        self.many: set[str] = set()  # steps making several results: several items of their own, or fed by such
        self.sources: dict[str, frozenset[str]] = {}  # per step, the user's files it or a step it takes from read
        self.files: dict[str, list[DataItem]] = {}  # per step, the files and pages it works on (``worked_on``)

    def update(self, steps: list[TaskStep]) -> Planned:
        for step in steps[self.seen :]:
            self.position[step.id] = self.seen
            self.seen += 1
            self.ids.add(step.id)
            for kind in dict.fromkeys(step.produces):
                self.makers.setdefault(kind, []).append(step)
            # a step after another only by the request's order takes nothing from it ("create a picture.
            # Then compose a sound of waves": the sound is not made from the picture)
            fed = [
                d
                for d in step.depends_on
                if d not in step.only_after and (d not in self.open or set(self.open[d].produces) & set(step.accepts))
            ]
            self.used.update(fed)
            self.sources[step.id] = self.read_into(step)
            self.files[step.id] = self.worked_on(step)
            items = {key(d) for d in step.data if d.kind in FANNED and fits(d, step.accepts)}
            if step.fan_out or len(items) > 1 or any(d in self.many for d in fed):
                self.many.add(step.id)
            for dep in fed:
                self.open.pop(dep, None)
            if not step.side_effects:  # what a sink returns (where it wrote) is no result to collect
                self.open[step.id] = step
                if step.produces:
                    self.makes[step.id] = step
            self.taken.update(key(d) for d in step.data)
            for tool in step.candidates[:1]:
                if tool not in self.tools:
                    self.tools.add(tool)
                    self.tool_terms.update(terms(tool))
            verb = [base_verb(w) for w in step.keywords[:1] if is_verb(w)]
            self.work_terms[step.id] = frozenset(terms(" ".join([*verb, *step.candidates[:1]]))) - KIND_TERMS
            for term in self.work_terms[step.id]:
                self.by_work[term] = step
        return self

    def read_into(self, step: TaskStep) -> frozenset[str]:
        """The user's files ``step`` reads (a step changing nothing) or a step it takes data from read, each kept
        per step as it is planned: a chain of thousands of steps is not walked back for each."""
        own = frozenset(file_named(d.value) for d in step.data if d.kind == "path" and not step.side_effects)
        fed = (self.sources.get(d, frozenset()) for d in step.depends_on if d not in step.only_after)
        return own.union(*fed)

    def worked_on(self, step: TaskStep) -> list[DataItem]:
        """The user's files and pages (paths, URLs) ``step`` names, else those of the steps it takes data from:
        what "it" is after work on their content ("read notes.txt, then delete it": the file, not its text).
        Passed on, not copied, along a chain: thousands of steps each fed by the one before cost one list."""
        own = [d for d in step.data if d.kind in ("path", "url")]
        if own:
            return own
        fed = [self.files.get(d, []) for d in step.depends_on if d not in step.only_after]
        fed = [files for files in fed if files]
        if len(fed) == 1:
            return fed[0]
        return list({key(d): d for files in fed for d in files}.values())

    def leaves(self, makers: list[TaskStep]) -> list[TaskStep]:
        """Of ``makers`` (oldest first), those no other step takes from yet: what "them" collects; the
        newest maker when all are taken from."""
        return [s for s in makers if s.id not in self.used] or makers[-1:]

    def to_compare(self, makers: list[TaskStep], nouns: Iterable[str], kind: str, slots: int) -> list[TaskStep]:
        """What a tool taking ``slots`` things of ``kind`` at once is given of ``makers``: the results the clause
        names ("compare the summary with the translation": both, though the translation was made from the
        summary), then the newest no step took from yet, up to ``slots``, in the order they were made."""
        named = self.named(nouns, kind)[-slots:]
        others = [s for s in self.leaves(makers) if s not in named]
        newest = others[max(len(others) - (slots - len(named)), 0) :]  # all of them when fewer than the slots left
        chosen = {s.id for s in [*named, *newest]}
        return [s for s in makers if s.id in chosen]

    def named(self, nouns: Iterable[str], kind: str) -> list[TaskStep]:
        """The steps making ``kind`` whose work one of ``nouns`` names, oldest first: "the transcript" is
        what the step that transcribed made, "the summary" the summariser's (stems fold the derivations);
        per term the newest such step."""
        found = {
            self.by_work[t].id: self.by_work[t]
            for t in terms(" ".join(nouns))
            if t in self.by_work and t not in KIND_TERMS
        }
        return sorted((s for s in found.values() if kind in s.produces), key=lambda s: self.position[s.id])

    def named_each(self, nouns: Iterable[str], kind: str) -> list[TaskStep]:
        """Every step making ``kind`` that no step takes from yet and whose work one of ``nouns`` names, oldest first:
        "the summaries", "the two captions" are each summary or caption, where ``named`` finds the newest."""
        said = frozenset(terms(" ".join(nouns))) - KIND_TERMS
        return [s for s in self.makers.get(kind, []) if s.id not in self.used and said & self.work_terms[s.id]]

    def results(self) -> list[TaskStep]:
        """The steps whose results no step takes yet, oldest first: what a sink told to store "them"
        collects ("generate a picture and a sound, then save them to out.json"). One result of one call,
        made from the one result before it ("it"), is no "them": "transcribe talk.wav and summarize it, then
        save them" stores the transcript beside the summary, as "caption photo.jpg and read it aloud, then
        save them" stores the caption beside the speech. Not so after several calls ("download A and B,
        summarize them": the summaries, not the pages too), nor after a step that works on things of its own
        ("list the transactions, flag any suspicious payments and email them": the payments flagged)."""
        open_ = list(self.open.values())
        if len(open_) != 1 or open_[0].id in self.many or "it" not in words(open_[0].action):
            return open_
        (leaf,) = open_
        made = [self.makes[d] for d in leaf.depends_on if d not in leaf.only_after and d in self.makes]
        return made[-1:] + open_


class Available:
    """The user's data a step may take: the request's data, but what a later clause names as its own
    ("summarize it ... compare it with 'B'": 'B' is the comparison's). An item becomes available once
    the last clause claiming it is passed, and stays so."""

    def __init__(self, pool: list[DataItem], claims: list[set[int]]) -> None:
        self._order = {id(d): n for n, d in enumerate(pool)}
        self._items = {id(d): d for d in pool}
        self._waiting = Counter(i for claim in claims for i in claim if i in self._order)
        self.items: list[DataItem] = []  # in the request's order
        self.ids: set[int] = set()
        self.kinds: set[str] = set()
        self._by_kind: dict[str, list[DataItem]] = {}
        for item in pool:
            if not self._waiting[id(item)]:
                self._add(item)

    def passed(self, claim: Iterable[int]) -> None:
        """The clause claiming ``claim`` is being planned: what no later clause claims is available."""
        for i in claim:
            if i not in self._order:
                continue
            self._waiting[i] -= 1
            if self._waiting[i] == 0:
                self._add(self._items[i])

    def of(self, kind: str) -> list[DataItem]:
        return self._by_kind.get(kind, [])

    def _add(self, item: DataItem) -> None:
        if id(item) in self.ids:
            return
        place = self._order.__getitem__
        self.ids.add(id(item))
        insort(self.items, item, key=lambda d: place(id(d)))
        for kind in dict.fromkeys(types_of(item)):
            self.kinds.add(kind)
            insort(self._by_kind.setdefault(kind, []), item, key=lambda d: place(id(d)))
