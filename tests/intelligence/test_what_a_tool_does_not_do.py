"""What a tool's words say it does not do, or does only to its own run, and verbs that undo what it does: none of
them choose it. "kill 'ls'" ran ls in the shell (whose description says that on timeout what it started "is
killed"); "upload http://..." was given the fetcher (whose words say "download"). Requests and the vault
catalogue are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.registry import default_registry
from tests.intelligence.reading import tools_chosen

VAULT = """
version: 1
tools:
  - {name: file_encrypter, kind: http, description: Encrypt a file with a password and return the encrypted file., input_types: [path], output_types: [path], method: POST, url: "https://v.example.com/enc", json: {path: "{{ path }}"}, inputs: {path: {type: string}}}
  - {name: archiver, kind: http, description: Pack files into an archive. Links are not followed., input_types: [path], output_types: [path], method: POST, url: "https://v.example.com/zip", json: {path: "{{ path }}"}, inputs: {path: {type: string}}}
"""
BUILT_INS = default_registry([])


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    tools = tmp_path / "vault.yaml"
    tools.write_text(VAULT)
    return tools


@pytest.mark.parametrize("task", ["kill 'ls'", "Kill 'sleep 100'"])
def test_what_happens_to_a_tools_run_is_not_its_work(task: str) -> None:
    # before: the shell ran the command the user asked to kill
    assert tools_chosen(task, BUILT_INS) == ["-"]


def test_what_a_tool_says_it_does_not_do_is_not_its_work(vault: Path) -> None:
    # before: the archiver followed the links ("Links are not followed")
    assert tools_chosen("follow the links in backup.bin", vault) == ["-"]


@pytest.mark.parametrize(
    ("task", "tool"),
    [("run 'ls'", "shell"), ("execute 'ls'", "shell"), ("grab http://127.0.0.1:8000/a", "http_request")],
)
def test_the_work_a_tool_does_is_still_its_own(task: str, tool: str) -> None:
    assert tools_chosen(task, BUILT_INS) == [tool]


@pytest.mark.parametrize("task", ["upload http://127.0.0.1:8000/a", "Upload http://127.0.0.1:8000/a.png"])
def test_a_verb_undoing_what_the_only_taker_does_is_missing(task: str) -> None:
    # before: the fetcher, the one tool taking a URL, whose meaning stands near "upload"
    assert tools_chosen(task, BUILT_INS) == ["-"]


def test_a_verb_undoing_what_a_tool_says_does_not_choose_it(vault: Path) -> None:
    assert tools_chosen("decrypt secret.bin", vault) == ["-"]
    assert tools_chosen("encrypt secret.bin", vault) == ["file_encrypter"]
