"""A conventional file name after "a", "an" or "new" is the kind of file to make, no file (attack131): "Write a
Makefile for my project" read Makefile and summarized it; "the Makefile", "Makefile" and "docs/README" stay
files."""

from __future__ import annotations

import pytest

from orchestra.analysis.data import extract


@pytest.mark.parametrize(
    "task",
    ["Write a Makefile for my project", "Create a new README for the repo", "Add an .env with 'A=1'",
     "Draft A LICENSE for it"],
)  # fmt: skip
def test_a_kind_of_file_to_make_is_no_file(task: str) -> None:
    assert not [d for d in extract(task).items if d.kind == "path"]


@pytest.mark.parametrize(
    ("task", "path"),
    [("Summarize the README", "README"), ("Delete Makefile", "Makefile"), ("Summarize a/README", "a/README"),
     ("Delete a.jpg and README", "README")],
)  # fmt: skip
def test_a_file_named_is_still_a_file(task: str, path: str) -> None:
    assert path in [d.value for d in extract(task).items if d.kind == "path"]
