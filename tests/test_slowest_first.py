"""The slowest modules run first under ./scripts/test (tests/slowest_first.py): each one named still exists,
they come first in their order with every module's tests together, and xdist keeps that order."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import cast

import pytest

from orchestra.settings import PROJECT_ROOT
from tests.slowest_first import SLOWEST_MODULES, slowest_first


@dataclass
class Collected:
    nodeid: str


def test_every_module_named_slowest_exists_once() -> None:
    assert len(set(SLOWEST_MODULES)) == len(SLOWEST_MODULES)
    assert [m for m in SLOWEST_MODULES if not (PROJECT_ROOT / m).is_file()] == []


def test_the_slowest_modules_come_first_in_their_order_the_rest_as_collected() -> None:
    first, second = SLOWEST_MODULES[:2]
    collected = [
        "tests/a_test.py::test_one",
        f"{second}::test_b",
        "tests/z_test.py::TestZ::test_two[x::y]",
        f"{first}::TestClass::test_c[p]",
        f"{second}::test_a",
        f"{first}::test_d",
        "tests/a_test.py::test_three",
    ]
    items = [Collected(nodeid) for nodeid in collected]
    slowest_first(cast(list[pytest.Item], items))
    assert [item.nodeid for item in items] == [
        f"{first}::TestClass::test_c[p]",
        f"{first}::test_d",
        f"{second}::test_b",
        f"{second}::test_a",
        "tests/a_test.py::test_one",
        "tests/z_test.py::TestZ::test_two[x::y]",
        "tests/a_test.py::test_three",
    ]


def test_the_suites_workers_take_scopes_in_the_collections_order() -> None:
    """xdist's loadscope reorders scopes by their number of tests unless told not to: the slowest modules,
    most of them of few tests, would come late again."""
    [command] = [line for line in (PROJECT_ROOT / "scripts" / "test").read_text().splitlines() if "pytest" in line
                 and not line.startswith("#") and "--collect-only" not in line]  # fmt: skip
    words = shlex.split(command)
    assert words[words.index("--dist") + 1] == "loadscope" and "--no-loadscope-reorder" in words, command
