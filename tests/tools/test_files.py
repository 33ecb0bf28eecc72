from __future__ import annotations

import asyncio
import codecs
import contextlib
import encodings
import errno
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from orchestra import disk_space
from orchestra import workspace as workspace_module
from orchestra.confinement import Confinement
from orchestra.errors import ToolError, ToolValidationError
from orchestra.tool_spec import Tool, ToolContext
from orchestra.tools.cleanup import delete_file_tool
from orchestra.tools.files import list_files_tool, read_file_tool, write_file_tool

READ, WRITE, LIST, DELETE = read_file_tool(), write_file_tool(), list_files_tool(), delete_file_tool()


async def call(tool: Tool, ctx: ToolContext, **args: object) -> dict[str, Any]:
    model = tool.spec.input_model.model_validate(args)
    result = await tool.run(model, ctx)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret_dir = tmp_path / "outside"
    secret_dir.mkdir()
    (secret_dir / "secret.txt").write_text("top secret")
    return secret_dir


async def test_write_then_read(ctx: ToolContext, workspace: Path) -> None:
    written = await call(WRITE, ctx, path="notes/a.txt", content="héllo\n")
    data = "héllo\n".encode()
    sha256 = hashlib.sha256(data).hexdigest()
    assert written == {
        "path": "notes/a.txt",
        "bytes_written": len(data),
        "sha256": sha256,
        "created": True,
        "previous": None,
    }
    read = await call(READ, ctx, path="notes/a.txt")
    assert read["content"] == "héllo\n"
    assert read["size"] == len(data)
    assert read["sha256"] == written["sha256"]
    assert read["truncated"] is False


async def test_overwrite_is_atomic_and_leaves_no_temp_files(ctx: ToolContext, workspace: Path) -> None:
    await call(WRITE, ctx, path="a.txt", content="old")
    await call(WRITE, ctx, path="a.txt", content="new")
    assert (workspace / "a.txt").read_text() == "new"
    assert sorted(os.listdir(workspace)) == ["a.txt"]


async def test_write_json_value(ctx: ToolContext, workspace: Path) -> None:
    await call(WRITE, ctx, path="data.json", json={"a": [1, 2], "b": None})
    text = (workspace / "data.json").read_text()
    assert json.loads(text) == {"a": [1, 2], "b": None}
    assert '\n  "a"' in text  # indent 2
    await call(WRITE, ctx, path="null.json", json=None)
    assert (workspace / "null.json").read_text().strip() == "null"


def test_write_needs_exactly_one_payload() -> None:
    with pytest.raises(ValidationError):
        WRITE.spec.input_model.model_validate({"path": "x", "content": "a", "json": 1})
    with pytest.raises(ValidationError):
        WRITE.spec.input_model.model_validate({"path": "x"})


async def test_append(ctx: ToolContext, workspace: Path) -> None:
    await call(WRITE, ctx, path="log.txt", content="one\n")
    out = await call(WRITE, ctx, path="log.txt", content="two\n", mode="append")
    assert (workspace / "log.txt").read_text() == "one\ntwo\n"
    assert out["bytes_written"] == 4
    assert out["sha256"] == hashlib.sha256(b"one\ntwo\n").hexdigest()


async def test_make_dirs_false(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError):
        await call(WRITE, ctx, path="missing/dir/a.txt", content="x", make_dirs=False)


async def test_write_to_directory_refused(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "d").mkdir()
    with pytest.raises(ToolValidationError):
        await call(WRITE, ctx, path="d", content="x")


@pytest.mark.parametrize("path", ["a/", "a/.", "notes/a/", "a/.."])
async def test_a_path_that_names_a_directory_is_no_file_to_write_read_or_delete(
    ctx: ToolContext, workspace: Path, path: str
) -> None:
    # before: normalising dropped the separator, so "a/" wrote the file "a"
    for tool, args in ((WRITE, {"content": "x"}), (READ, {}), (DELETE, {})):
        with pytest.raises(ToolValidationError, match="directory") as refused:
            await call(tool, ctx, path=path, **args)
        assert refused.value.code == "is_a_directory"
    assert sorted(os.listdir(workspace)) == []


async def test_read_truncates(workspace: Path) -> None:
    (workspace / "big.txt").write_text("z" * 1000)
    ctx = ToolContext(confinement=Confinement(workspace=workspace, max_output_bytes=300))
    out = await call(READ, ctx, path="big.txt", max_bytes=100)
    assert out["content"] == "z" * 100
    assert out["truncated"] is True
    assert out["size"] == 1000
    assert out["sha256"] == hashlib.sha256(b"z" * 1000).hexdigest()
    capped = await call(READ, ctx, path="big.txt")
    assert len(capped["content"]) == 300


async def test_read_errors(ctx: ToolContext, workspace: Path) -> None:
    with pytest.raises(ToolValidationError):
        await call(READ, ctx, path="nope.txt")
    (workspace / "d").mkdir()
    with pytest.raises(ToolValidationError):
        await call(READ, ctx, path="d")
    (workspace / "f.txt").write_text("x")
    with pytest.raises(ValidationError, match="the encoding named is not one of the text encodings"):
        await call(READ, ctx, path="f.txt", encoding="no-such-codec")


@pytest.mark.parametrize(
    "encoding", ["punycode", "idna", "rot13", "hex", "zlib", "unicode_escape", "raw_unicode_escape", "utf-7", "charmap"]
)
async def test_an_encoding_that_is_slow_or_no_text_encoding_is_refused(ctx: ToolContext, encoding: str) -> None:
    """punycode and idna decode in quadratic time, on the worker's event loop; rot13, hex and zlib failed
    as a system error (retried) after the plan was accepted."""
    for tool, args in ((READ, {"path": "f.txt"}), (WRITE, {"path": "f.txt", "content": "x"})):
        with pytest.raises(ValidationError, match="the encoding named is not one of the text encodings"):
            tool.spec.input_model.model_validate({**args, "encoding": encoding})


async def test_common_encodings_by_any_of_their_names(ctx: ToolContext, workspace: Path) -> None:
    for encoding, text in (("latin1", "café"), ("ISO-8859-1", "café"), ("windows-1252", "café"), ("Shift_JIS", "日本"),
                           ("gb18030", "café 日本"), ("UTF-16", "café 日本"),
                           ("cp852", "Łódź"), ("cp437", "café"), ("IBM500", "café"), ("mac-greek", "καφές"),
                           ("tis-620", "กาแฟ"), ("iso2022_jp_2", "日本")):  # fmt: skip
        await call(WRITE, ctx, path="e.txt", content=text, encoding=encoding)
        assert (await call(READ, ctx, path="e.txt", encoding=encoding))["content"] == text


async def test_an_encoding_is_known_by_any_spelling_and_a_new_name_is_cached_nowhere(
    ctx: ToolContext, workspace: Path
) -> None:
    """``CP-1252`` was refused (Python knows ``cp1252``); and each name a plan gave was asked of Python's
    codec registry, which keeps every name it is asked for, found or not, for the worker's lifetime."""
    for spelling in ("CP-1252", "cp_1252", "Windows 1252", "x-cp1252"):
        await call(WRITE, ctx, path="w.txt", content="caf\u00e9 \u20ac5", encoding=spelling)
        assert (workspace / "w.txt").read_bytes() == "caf\u00e9 \u20ac5".encode("cp1252")
        assert (await call(READ, ctx, path="w.txt", encoding=spelling))["content"] == "caf\u00e9 \u20ac5"
    before = len(encodings._cache)
    for n in range(1, 30):
        for name in (f"no-such-{uuid.uuid4().hex}", "utf" + "-" * n + "8"):
            with contextlib.suppress(ValidationError):
                READ.spec.input_model.model_validate({"path": "w.txt", "encoding": name})
    assert len(encodings._cache) == before


@pytest.mark.parametrize("encoding", ["utf-16", "UTF-16", "utf-32", "utf-8-sig"])
async def test_appends_in_an_encoding_with_a_byte_order_mark_put_no_mark_inside_the_text(
    ctx: ToolContext, workspace: Path, encoding: str
) -> None:
    """Each append wrote the mark again: the file read back as "first\ufeffsecond"."""
    for part in ("first ", "second ", "thïrd"):
        await call(WRITE, ctx, path="log.txt", content=part, encoding=encoding, mode="append")
    assert (workspace / "log.txt").read_bytes().decode(encoding) == "first second thïrd"
    read = await call(READ, ctx, path="log.txt", encoding=encoding)
    assert read["content"] == "first second thïrd"


async def test_an_append_goes_on_in_the_byte_order_the_file_began_with(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "big.txt").write_bytes(codecs.BOM_UTF16_BE + "begun ".encode("utf-16-be"))
    written = await call(WRITE, ctx, path="big.txt", content="and on", encoding="utf-16", mode="append")
    assert (workspace / "big.txt").read_bytes().decode("utf-16") == "begun and on"
    assert written["bytes_written"] == len("and on") * 2


async def test_steps_appending_to_one_new_file_at_once_put_one_mark_at_its_start(
    ctx: ToolContext, workspace: Path
) -> None:
    """Each read the new file empty, so each wrote a byte order mark: one landed mid-file."""
    parts = [f"part {i} " for i in range(16)]
    await asyncio.gather(
        *(call(WRITE, ctx, path="log.txt", content=p, encoding="utf-16", mode="append") for p in parts)
    )
    text = (workspace / "log.txt").read_bytes().decode("utf-16")
    assert "\ufeff" not in text and sorted(text.split("part ")[1:]) == sorted(p.split("part ")[1] for p in parts)


def test_an_append_holds_the_files_lock_from_reading_how_it_begins_to_its_write(
    ctx: ToolContext, workspace: Path
) -> None:
    """Another writer between the read of the head and the write would make the head read stale."""
    seen: list[str] = []

    def appended(head: bytes) -> bytes:
        with (workspace / "log.txt").open("rb") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append("free")
            except BlockingIOError:
                seen.append("locked")
        return "text".encode("utf-16")

    ctx.confinement.files.write("log.txt", appended, append=True, make_dirs=False)
    assert seen == ["locked"]


async def test_an_append_to_a_file_another_process_keeps_locked_fails_by_name(
    ctx: ToolContext, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step's own program may hold the lock for ever: the append gives up, its thread given back."""
    monkeypatch.setattr(workspace_module, "LOCK_WAIT_S", 0.05)
    (workspace / "log.txt").write_bytes(b"")
    with (workspace / "log.txt").open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(ToolError) as info:
            await call(WRITE, ctx, path="log.txt", content="more", mode="append")
    assert info.value.code == "file_locked" and info.value.retryable
    await call(WRITE, ctx, path="log.txt", content="more", mode="append")
    assert (workspace / "log.txt").read_text() == "more"


async def test_paths_outside_workspace_refused(ctx: ToolContext, outside: Path) -> None:
    for path in ("../outside/secret.txt", str(outside / "secret.txt"), "/etc/passwd"):
        with pytest.raises(ToolValidationError) as info:
            await call(READ, ctx, path=path)
        assert info.value.code == "path_outside_workspace"
    with pytest.raises(ToolValidationError):
        await call(WRITE, ctx, path="../escape.txt", content="x")
    with pytest.raises(ToolValidationError):
        await call(LIST, ctx, path="..")


async def test_symlink_escaping_workspace_refused(ctx: ToolContext, workspace: Path, outside: Path) -> None:
    (workspace / "link.txt").symlink_to(outside / "secret.txt")
    (workspace / "linkdir").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ToolValidationError):
        await call(READ, ctx, path="link.txt")
    with pytest.raises(ToolValidationError):
        await call(READ, ctx, path="linkdir/secret.txt")
    with pytest.raises(ToolValidationError):
        await call(WRITE, ctx, path="link.txt", content="overwritten")
    with pytest.raises(ToolValidationError):
        await call(WRITE, ctx, path="linkdir/new.txt", content="x")
    with pytest.raises(ToolValidationError):
        await call(LIST, ctx, path="linkdir")
    assert (outside / "secret.txt").read_text() == "top secret"
    listed = await call(LIST, ctx, recursive=True)
    paths = [entry["path"] for entry in listed["entries"]]
    assert paths == []  # both links lead outside, so neither is listed nor followed


async def test_links_are_not_followed_even_inside_the_workspace(ctx: ToolContext, workspace: Path) -> None:
    # Files are opened by descriptor without following links: a link that points inside today may be
    # swapped for one that points outside between a check and the use.
    (workspace / "real.txt").write_text("real")
    (workspace / "alias.txt").symlink_to(workspace / "real.txt")
    with pytest.raises(ToolValidationError) as info:
        await call(READ, ctx, path="alias.txt")
    assert info.value.code == "symlink"
    assert (await call(READ, ctx, path="real.txt"))["content"] == "real"


async def test_list_files(ctx: ToolContext, workspace: Path) -> None:
    (workspace / "a.txt").write_text("aa")
    (workspace / "b.md").write_text("b")
    (workspace / "sub").mkdir()
    (workspace / "sub" / "c.txt").write_text("ccc")
    top = await call(LIST, ctx)
    assert top == {
        "entries": [
            {"path": "a.txt", "size": 2, "is_dir": False},
            {"path": "b.md", "size": 1, "is_dir": False},
            {"path": "sub", "size": 0, "is_dir": True},
        ],
        "truncated": False,
        "depth_cut": False,
    }
    txt = await call(LIST, ctx, pattern="*.txt", recursive=True)
    assert [e["path"] for e in txt["entries"]] == ["a.txt", "sub/c.txt"]
    sub = await call(LIST, ctx, path="sub")
    assert [e["path"] for e in sub["entries"]] == ["sub/c.txt"]
    nested = await call(LIST, ctx, pattern="sub/*", recursive=True)
    assert [e["path"] for e in nested["entries"]] == ["sub/c.txt"]
    limited = await call(LIST, ctx, recursive=True, max_entries=2)
    assert len(limited["entries"]) == 2
    assert limited["truncated"] is True


def test_specs() -> None:
    assert READ.spec.side_effects is False
    assert LIST.spec.side_effects is False
    assert WRITE.spec.side_effects is True
    assert WRITE.spec.idempotent is True


# --- names and trees at the system's bounds ---------------------------------------------------------


@pytest.mark.parametrize(("tool", "extra"), [(READ, {}), (WRITE, {"content": "x"})], ids=["read", "write"])
async def test_a_name_longer_than_the_system_takes_is_a_validation_error(
    ctx: ToolContext, tool: Tool, extra: dict[str, str]
) -> None:
    # It was an io_error ("File name too long"), which reads as a fault of the machine, not of the argument.
    with pytest.raises(ToolValidationError, match="longer than 255 bytes") as refused:
        await call(tool, ctx, path=f"{'é' * 150}.txt", **extra)
    assert refused.value.code == "name_too_long" and not refused.value.retryable


async def test_a_path_longer_than_programs_can_name_is_refused(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError, match="longer than 4,095 bytes") as refused:
        await call(WRITE, ctx, path="a/" * 2100 + "f.txt", content="x", make_dirs=True)
    assert refused.value.code == "name_too_long"


async def test_a_name_of_the_longest_length_is_written_and_read(ctx: ToolContext, workspace: Path) -> None:
    # Its replacement was written under a temporary name 18 bytes longer, which the system refused.
    name = "n" * 255  # NAME_MAX
    await call(WRITE, ctx, path=name, content="old")
    await call(WRITE, ctx, path=name, content="new")
    assert (await call(READ, ctx, path=name))["content"] == "new"
    assert os.listdir(workspace) == [name]


async def test_a_tree_deeper_than_the_listing_goes_is_listed_to_its_bound_and_said_to_be_cut(
    ctx: ToolContext,
) -> None:
    depth = workspace_module.MAX_LIST_DEPTH + 30
    await call(WRITE, ctx, path="d/" * depth + "deep.txt", content="x", make_dirs=True)
    await call(WRITE, ctx, path="top.txt", content="x")
    listed = await call(LIST, ctx, recursive=True, max_entries=100_000)
    assert listed["depth_cut"] is True and listed["truncated"] is False
    paths = [entry["path"] for entry in listed["entries"]]
    assert "top.txt" in paths and max(path.count("/") for path in paths) == workspace_module.MAX_LIST_DEPTH
    shallow = await call(LIST, ctx, path="d/" * depth, recursive=True)
    assert shallow["depth_cut"] is False and shallow["entries"][0]["path"].endswith("deep.txt")


@pytest.fixture
def disk_nearly_full(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workspace's disk as if it had less free than the worker keeps (the real figure, read by statvfs)."""
    info = os.statvfs(workspace)
    monkeypatch.setattr(disk_space, "MIN_FREE_BYTES", info.f_bavail * info.f_frsize + (1 << 30))


@pytest.mark.parametrize("mode", ["overwrite", "append"])
async def test_a_write_that_would_leave_the_disk_too_full_fails_saying_so(
    ctx: ToolContext, workspace: Path, disk_nearly_full: None, mode: str
) -> None:
    with pytest.raises(ToolError, match="MiB free") as refused:
        await call(WRITE, ctx, path="big.txt", content="x" * 1000, mode=mode)
    assert refused.value.code == "disk_full" and refused.value.retryable
    assert not (workspace / "big.txt").exists()  # an append made it empty, then found no room


@pytest.mark.parametrize(
    ("tool", "extra"),
    [(READ, {}), (WRITE, {"content": "x"}), (WRITE, {"content": "x", "mode": "append"}), (LIST, {}), (DELETE, {})],
    ids=["read", "write", "append", "list", "delete"],
)
async def test_a_lone_surrogate_in_a_path_is_a_validation_error(
    ctx: ToolContext, tool: Tool, extra: dict[str, str]
) -> None:
    # JSON's "\ud800" names no file: it failed as the worker's own UnicodeEncodeError, a system error retried.
    with pytest.raises(ToolValidationError, match="lone surrogate") as refused:
        await call(tool, ctx, path="notes/a\ud800.txt", **extra)
    assert refused.value.code == "bad_path" and not refused.value.retryable


async def test_a_file_whose_name_is_no_utf8_is_listed_read_replaced_and_deleted(
    ctx: ToolContext, workspace: Path
) -> None:
    """A program may make such a name; list_files gives it with surrogates for its bytes (\\udcff). Replacing
    it failed (a UnicodeEncodeError making its temporary name): product59 cut that name as UTF-8."""
    (workspace / os.fsdecode(b"\xff\xfe.txt")).write_text("old")
    [entry] = (await call(LIST, ctx))["entries"]
    assert entry["path"] == "\udcff\udcfe.txt"
    await call(WRITE, ctx, path=entry["path"], content="new")
    assert (await call(READ, ctx, path=entry["path"]))["content"] == "new"
    assert (await call(DELETE, ctx, path=entry["path"]))["deleted"] is True
    assert os.listdir(workspace) == []


APPEND_UNDER_A_FILE_SIZE_LIMIT = """
import resource, signal, sys
from pathlib import Path
from orchestra.workspace import Workspace
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
try:
    Workspace(Path(sys.argv[1])).write("log.txt", b"x" * 100_000, append=True, make_dirs=False)
except OSError as exc:
    sys.exit(exc.errno)
"""


def test_an_append_the_disk_cannot_take_whole_leaves_the_file_as_it_was(workspace: Path) -> None:
    """A write that fails mid-way (a disk filling, or a program's file size limit, as here: a real EFBIG
    after a part was written) left that part at the file's end, and a retry appended the text after it."""
    (workspace / "log.txt").write_bytes(b"before\n")
    limit = str(len(b"before\n") + 1000)
    argv = [sys.executable, "-c", APPEND_UNDER_A_FILE_SIZE_LIMIT, str(workspace), limit]
    child = subprocess.run(argv, check=False, cwd=Path(__file__).parents[2])
    assert child.returncode == errno.EFBIG
    assert (workspace / "log.txt").read_bytes() == b"before\n"


# As above, and another writer (a program of a step's, which takes no lock) appends between the part the
# limit let through and the write that fails: a process of its own, its soft limit raised again.
APPEND_RACED_BY_A_PROGRAM = APPEND_UNDER_A_FILE_SIZE_LIMIT.replace(
    "resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))",
    """resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
import os, subprocess
write = os.write
def racing(fd, data):
    count = write(fd, data)
    subprocess.run(["sh", "-c", "ulimit -f unlimited; printf theirs >> log.txt"], cwd=sys.argv[1], check=True)
    return count
os.write = racing""",
)


def test_an_append_that_fails_mid_way_cuts_no_bytes_another_writer_appended(workspace: Path) -> None:
    """Taking back the part cut the file to its size before the append, and with it what a program appended
    meanwhile: here 'theirs', after the part the file size limit let through. The part is left now."""
    (workspace / "log.txt").write_bytes(b"before\n")
    limit = len(b"before\n") + 1000
    argv = [sys.executable, "-c", APPEND_RACED_BY_A_PROGRAM, str(workspace), str(limit)]
    child = subprocess.run(argv, check=False, cwd=Path(__file__).parents[2])
    assert child.returncode == errno.EFBIG
    assert (workspace / "log.txt").read_bytes() == b"before\n" + b"x" * 1000 + b"theirs"
