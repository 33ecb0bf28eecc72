"""attack168: a file or folder named from the file system's root, a home or a drive is outside the workspace the
tools keep to. "List the files in /etc" listed the workspace itself, unsaid ("/etc" was read as words), "Summarize
/etc/passwd" asked for text without saying why, and "Delete /tmp/x.txt" was planned for the tool to refuse once the
run was under way. What it was for is asked for, with why, as "../x.txt" is. A command's own argument ("ls /etc")
is the command's (the confinement refuses it), and a relative path is planned as before."""

from __future__ import annotations

import pytest

from orchestra.analysis.data import outside_the_workspace
from tests.intelligence.reading import MEDIA, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "asked"),
    [
        ("List the files in /etc", "list_files_path"),
        ("List the files in /etc/", "list_files_path"),
        ("List the files in ~", "list_files_path"),
        ("Summarize /etc/hostname", "read_file_path"),  # /etc/passwd summarized online is a send of it too
        ("Read /var/log/syslog and summarize it", "read_file_path"),
        ("Delete /tmp/x.txt", "delete_file_path"),
        ("Write 'hi' to /tmp/x.txt", "write_file_path"),
        ("Copy a.txt to /tmp/b.txt", "write_file_path"),
        ("Summarize notes.txt, then list the files in /etc", "list_files_path"),
    ],
)
async def test_a_place_outside_the_workspace_is_asked_with_why(task: str, asked: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    assert missing == [asked], calls
    assert any("outside the workspace" in s for s in said), said


@pytest.mark.parametrize(
    "task",
    [
        "Delete notes.txt from /tmp",  # deleted the workspace's notes.txt
        "Delete notes.txt in /tmp/",
        "Delete /tmp/a.txt and b.txt",
        "Upload notes.txt from /home/me to https://x.example/up",
    ],
)
async def test_a_change_naming_a_place_outside_is_asked_whole(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    changes = [args for tool, args in calls if tool in ("delete_file", "http_request")]
    assert changes and all("${inputs." in str(args) for args in changes), calls
    assert missing and any("outside the workspace" in s for s in said), said


@pytest.mark.parametrize(
    ("task", "call"),
    [
        ("List the files", ("list_files", {"path": "."})),
        ("List the files in docs/", ("list_files", {"path": "docs/"})),
        ("Fetch https://x.example/a/b", ("http_request", {"url": "https://x.example/a/b"})),
        ("Summarize a/b.txt", ("read_file", {"path": "a/b.txt"})),
        ("Run 'wc -l' on notes.txt", ("shell", {"cmd": "wc -l notes.txt"})),
        ("Write 'see /etc/hosts' to a.txt", ("write_file", {"path": "a.txt", "content": "see /etc/hosts"})),
        ("Translate 'and/or 5/10' into French", ("translate_text", {"text": "and/or 5/10"})),
        ("Translate notes.txt into French /Spanish", ("read_file", {"path": "notes.txt"})),  # no folder's name
        ("Read notes.txt ~ then summarize it", ("read_file", {"path": "notes.txt"})),  # a home follows "in", "from"
    ],
)
async def test_a_place_in_the_workspace_or_a_url_is_planned(task: str, call: object) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert call in calls and not missing, calls


@pytest.mark.parametrize(
    ("path", "outside"),
    [
        ("/etc", True),
        ("/etc/passwd", True),
        ("~", True),
        ("~bob/x.txt", True),
        ("C:/x", True),
        ("C:\\x", True),
        ("../x.txt", True),
        ("a/b.txt", False),
        ("./x", False),
        ("docs/", False),
        ("x:y.txt", False),
    ],
)
def test_places_outside_the_workspace(path: str, outside: bool) -> None:
    assert outside_the_workspace(path) is outside
