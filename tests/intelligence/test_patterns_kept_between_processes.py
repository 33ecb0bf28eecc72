"""Every `plan` is a fresh process, and it compiled the 150-200 patterns its task reached: a third of its CPU
time, on every call. The engine's code of each pattern is kept on disk (orchestra/regex_cache.py); the next
process hands it to the engine without compiling, and gets the very pattern re.compile gives."""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestra import regex_cache
from orchestra.selection import disk_cache
from orchestra.settings import PROJECT_ROOT
from tests.intelligence.test_lazy_patterns import lazy_patterns

PATTERNS = [
    (r"\b(?P<verb>save|fetch)\s+(?P<what>\w+)", re.IGNORECASE),
    (r"(?<![\w-])(\d+)-(\d+)(?=\s|$)", 0),
    (r"^\s*# a comment\n(?:é|e)+ \w", re.MULTILINE | re.VERBOSE),
]
TEXT = "Save page, then FETCH 3-14 and 20-1\n  ééé x"

# Compiles PATTERNS through the cache and keeps them; with "read", compiling is refused: each must come from disk.
CHILD = """
import json, re, sys
from orchestra import regex_cache
patterns = [tuple(p) for p in json.loads(sys.argv[2])]
if sys.argv[1] == "read":
    compile_code = re._compiler._code
    def refused(*args):
        raise SystemExit("compiled again: " + repr(args[0]))
    re._compiler._code = refused
made = [regex_cache.compiled(p, f) for p, f in patterns]
if sys.argv[1] == "read":
    re._compiler._code = compile_code
    assert made == [re.compile(p, f) for p, f in patterns]
regex_cache.keep()
print(json.dumps([[m.span() for m in p.finditer(sys.argv[3])] for p in made]))
"""


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ORCHESTRA_PLANNING_CACHE", raising=False)
    monkeypatch.setattr(regex_cache, "_known", None)
    monkeypatch.setattr(regex_cache, "_used", set())
    monkeypatch.setattr(regex_cache, "_compiled_here", False)
    return tmp_path


def child(mode: str, data_dir: Path) -> list[list[list[int]]]:
    ran = subprocess.run(
        [sys.executable, "-c", CHILD, mode, json.dumps(PATTERNS), TEXT],
        cwd=PROJECT_ROOT, env={**os.environ, "ORCHESTRA_DATA_DIR": str(data_dir)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    found: list[list[list[int]]] = json.loads(ran.stdout)
    return found


def test_a_pattern_compiled_by_one_process_is_read_by_the_next(fresh_cache: Path) -> None:
    expected = [[list(m.span()) for m in re.compile(p, f).finditer(TEXT)] for p, f in PATTERNS]
    assert child("write", fresh_cache) == expected
    assert child("read", fresh_cache) == expected


def test_every_pattern_of_the_analysis_read_back_is_the_pattern_re_compiles() -> None:
    patterns = lazy_patterns()
    assert len(patterns) > 150
    for name, pattern in patterns:
        stored = marshal.loads(marshal.dumps(regex_cache._engine_code(pattern.pattern, pattern.flags)))
        assert _sre.compile(pattern.pattern, *stored) == re.compile(pattern.pattern, pattern.flags), name


def test_an_entry_the_engine_refuses_is_compiled_again(fresh_cache: Path) -> None:
    pattern = r"(?P<word>\w+)@(\w+)"
    damaged = (re.UNICODE, [1, 2, 3, 99, 5], 2, {"word": 1}, (None, "word", None))
    disk_cache.store(regex_cache.KIND, regex_cache.KEY, {(pattern, 0): damaged})
    made = regex_cache.compiled(pattern)
    assert made == re.compile(pattern)
    assert made.search("write to ops@example now").groups() == ("ops", "example")  # type: ignore[union-attr]


def test_a_bad_pattern_fails_as_re_compile_fails(fresh_cache: Path) -> None:
    with pytest.raises(re.error, match="missing \\)"):
        regex_cache.compiled(r"(unclosed")
    regex_cache.keep()
    assert list(fresh_cache.glob("cache/planning/regex-*")) == []


def test_with_the_planning_cache_off_nothing_is_kept(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCHESTRA_PLANNING_CACHE", "0")
    assert regex_cache.compiled(r"\bkept\b").search("not kept here")
    regex_cache.keep()
    assert list(fresh_cache.rglob("*")) == []


def test_a_plan_made_with_kept_patterns_is_the_plan_made_without(tmp_path: Path) -> None:
    task = "download https://a.example/x and https://b.example/y, extract the titles and write them to titles.json"
    env = {**os.environ, "ORCHESTRA_DATA_DIR": str(tmp_path)}
    plans = [
        subprocess.run(
            [sys.executable, "client.py", "plan", "--json", task], cwd=PROJECT_ROOT, env=env,
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout
        for _ in range(2)
    ]  # fmt: skip
    assert list(tmp_path.glob("cache/planning/regex-*"))  # the first call kept what the second read
    assert json.loads(plans[0])["execution"] == json.loads(plans[1])["execution"]
