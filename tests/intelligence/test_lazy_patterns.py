"""The task analysis's and the planner's regular expressions are compiled when a task first needs them (orchestra.lazy_regex):
compiling all of them when the analysis was imported cost every `plan` about 0.13 s of CPU, though a task
reaches only some. Each still compiles, as re.compile would, and answers as the compiled pattern does."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import orchestra.analysis
import orchestra.planning
from orchestra.lazy_regex import LazyPattern, lazy_compile
from orchestra.settings import PROJECT_ROOT

# Left compiling at import for now: three patterns in files another engineer owns this session.
EAGER = ("orchestra/planning/planner.py", "orchestra/planning/searched.py")
PACKAGES = (orchestra.analysis, orchestra.planning)

# The files of the analysis and the planner whose module-level code compiles a regular expression while it is imported (a
# pattern a function uses at import, to build a constant, is compiled then as it would be in any case).
COMPILES_AT_IMPORT = """
import json, pkgutil, re, sys, importlib
compiled = []
original = re._compile
def counting(pattern, flags):
    frame = sys._getframe(1)
    while frame.f_code.co_filename.endswith(("re/__init__.py", "lazy_regex.py")):
        frame = frame.f_back
    if frame.f_code.co_name.startswith("<"):  # <module>, or a comprehension of the module's
        compiled.append(f"{frame.f_code.co_filename}:{frame.f_lineno}")
    return original(pattern, flags)
re._compile = counting
import orchestra.analysis, orchestra.planning
for package in (orchestra.analysis, orchestra.planning):
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
print(json.dumps(compiled))
"""


def lazy_patterns() -> list[tuple[str, LazyPattern]]:
    found: list[tuple[str, LazyPattern]] = []
    for package in PACKAGES:
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"{package.__name__}.{module.name}")
            found += [
                (f"{loaded.__name__}.{name}", v) for name, v in vars(loaded).items() if isinstance(v, LazyPattern)
            ]
            # a table of patterns ("the number a word reads as, by type") holds them one level down
            found += [
                (f"{loaded.__name__}.{name}[{key!r}]", p)
                for name, v in vars(loaded).items()
                if isinstance(v, dict)
                for key, p in v.items()
                if isinstance(p, LazyPattern)
            ]
    return found


def test_importing_the_analysis_or_the_planner_compiles_no_pattern() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", COMPILES_AT_IMPORT], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    places: list[str] = json.loads(ran.stdout)
    # Each one found: write lazy_compile (orchestra.lazy_regex) where it says re.compile.
    ours = ("orchestra/analysis/", "orchestra/planning/")
    compiled = [p for p in places if any(o in p for o in ours) and not p.rsplit(":", 1)[0].endswith(EAGER)]
    assert compiled == []


def test_every_pattern_of_the_analysis_and_the_planner_compiles_as_re_compile_would() -> None:
    patterns = lazy_patterns()
    assert len(patterns) > 150  # all of them, not a module's
    assert {"orchestra.analysis.heuristic", "orchestra.planning.binding", "orchestra.planning.deleted"} <= {
        name.rsplit(".", 1)[0] for name, _ in patterns
    }
    for name, pattern in patterns:
        assert pattern.compiled == re.compile(pattern.pattern, pattern.flags), name


CASES: list[tuple[str, int, str]] = [
    (r"\b(?P<word>\w+)\b", 0, "Save the Page, then fetch it"),
    (r"save|fetch", re.IGNORECASE, "Save the page, then FETCH it"),
    (r"(\d+)-(\d+)", 0, "pages 3-14 and 20-1, not 7"),
    (r"x*", 0, ""),
    (r"€+", 0, "ab€€€c€"),
]
METHODS: list[Callable[[Any, str], Any]] = [
    lambda p, s: (m := p.search(s)) and (m.span(), m.groups(), m.groupdict()),
    lambda p, s: (m := p.search(s, 2, 12)) and m.span(),
    lambda p, s: (m := p.match(s)) and m.span(),
    lambda p, s: (m := p.fullmatch(s)) and m.span(),
    lambda p, s: [m.span() for m in p.finditer(s)],
    lambda p, s: p.findall(s),
    lambda p, s: p.sub("<\\g<0>>", s),
    lambda p, s: p.sub(lambda m: m.group(0).upper(), s, 1),
    lambda p, s: p.subn("-", s),
    lambda p, s: p.split(s),
    lambda p, s: p.split(s, 1),
]


@pytest.mark.parametrize(("regex", "flags", "text"), CASES)
@pytest.mark.parametrize("method", range(len(METHODS)))
def test_a_lazy_pattern_answers_as_the_compiled_one(regex: str, flags: int, text: str, method: int) -> None:
    compiled = re.compile(regex, flags)
    lazy = lazy_compile(regex, flags)
    call = METHODS[method]
    assert call(lazy, text) == call(compiled, text)  # the first call compiles
    assert call(lazy, text) == call(compiled, text)  # later ones call the compiled pattern's methods
    assert lazy.pattern == compiled.pattern


def test_a_pattern_that_does_not_compile_fails_when_first_used() -> None:
    lazy = lazy_compile(r"(unclosed")
    with pytest.raises(re.error):
        lazy.search("text")
