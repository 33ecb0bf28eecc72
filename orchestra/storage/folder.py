"""The embedded stack's storage driver: large payloads as files in the data folder, content-addressed.

Layout (under ``ORCHESTRA_DATA_DIR/payloads``)::

    v1/ns/<namespace>/wf/<workflow id>/<sha256 of the payload>     one file per distinct payload
    v1/ns/<namespace>/wf/<workflow id>/.owner                      {"namespace", "workflow_id"}: read by prune
    v1/ns/<namespace>/wf/<workflow id>/for/<reader id>/<sha256>     stored there for another workflow to read
    v1/ns/<namespace>/wf/<schedule's workflow id>/sched/<sha256>    a schedule's input, for the runs it starts

Keys are scoped per workflow id, not per run, so a run's values stay readable by the runs it continues
as new into, and the whole folder of a workflow can go when the server no longer knows the workflow
(``prune.prune_folder``). Within that scope a payload is stored once however many times it is emitted.

A value is bound to the workflow that reads it. The SDK hands the driver no reader (its retrieve context
is empty), but it binds the converter to the workflow whose payloads it handles (``with_context``), and
``drivers.OwnedStorage`` passes that on (``bound``): a bound driver reads only what was stored by or for
that workflow, so a reference a starter writes into a workflow's input cannot name another workflow's
value. Where the SDK stores a payload for another workflow than the one it belongs to (a child's result
goes to its parent's folder, which outlives the child; a heartbeat to the activity's), the file goes to
``for/<reader>`` inside it; a schedule's input, read by every run the schedule starts (``<id>-<time>``),
to ``sched/``. An unbound driver (the codec server, the CLI's own reads) reads any value.
Every worker and client of a stack must see the same folder: this driver is for one machine; several
machines use S3 (``ORCHESTRA_STORAGE=s3``).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    SerializationContext,
    StorageDriver,
    StorageDriverActivityInfo,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra.disk_space import require_room
from orchestra.storage.errors import StoredPayloadInvalid, StoredPayloadMissing, check_payload_size

DRIVER_NAME = "orchestra.folder"
LAYOUT = "v1"
OWNER_FILE = ".owner"
TEMP_PREFIX = ".tmp-"  # a file being written; renamed to its name once whole
# The claim comes from the history, which anyone who can write to the server can forge: only paths of
# the shape this driver writes are read, and the content must match the hash the claim names.
_SEGMENT = r"[A-Za-z0-9_%~-]{1,200}"
_CLAIM_PATH = re.compile(
    rf"^v1/ns/(?P<ns>{_SEGMENT})/(?P<kind>wf|act|any)/(?P<id>{_SEGMENT})(?:/for/(?P<reader>{_SEGMENT})|/(?P<sched>sched))?"
    r"/[0-9a-f]{64}$"
)
# Errors of writing that no retry mends: something in the way of a value's file or folder (a folder, a file where a
# folder must be), or no right to write there. A full or failing disk (ENOSPC, EIO) may be mended, and is retried.
_INCURABLE = frozenset(
    {errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.ENOTEMPTY, errno.ELOOP, errno.EACCES, errno.EPERM, errno.EROFS}
)
# Errors of reading that say what is at a value's address is not the value: no retry mends them.
_IN_THE_WAY = frozenset({errno.EISDIR, errno.ENOTDIR, errno.ELOOP})
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_MAX_SEGMENT = 120
MAX_OWNER_BYTES = 1024 * 1024  # three ids as JSON: far more than the longest ids Temporal takes, escaped


def segment(value: str | None) -> str:
    """A file name for an id: percent-encoded (no dots, so never '.' or '..'), long ids cut and hashed."""
    if not value:
        return "null"
    encoded = "".join(c if c in _SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in value)
    if len(encoded) <= _MAX_SEGMENT:
        return encoded
    head = encoded[:_MAX_SEGMENT]
    escape = head.find("%", len(head) - 2)  # never cut an escape in half
    if escape != -1:
        head = head[:escape]
    return head + "~" + hashlib.sha256(value.encode()).hexdigest()[:16]


def scope_of(context: StorageDriverStoreContext) -> tuple[str, dict[str, str]]:
    """The folder a payload goes to (relative to the root) and who owns it."""
    target = context.target
    namespace = target.namespace if target is not None else ""
    if isinstance(target, StorageDriverWorkflowInfo):
        kind, ident = "wf", target.id
    elif isinstance(target, StorageDriverActivityInfo):
        kind, ident = "act", target.id
    else:
        kind, ident = "any", "shared"
    owner = {"namespace": namespace, "kind": kind, "id": ident or ""}
    return f"{LAYOUT}/ns/{segment(namespace)}/{kind}/{segment(ident)}", owner


@dataclass(frozen=True)
class Reader:
    """The workflow a bound driver works for; ``schedules``: it stores a schedule's input."""

    namespace: str
    workflow_id: str
    schedules: bool = False


class FolderStorageDriver(StorageDriver):
    def __init__(self, root: Path, max_payload_bytes: int, reader: Reader | None = None) -> None:
        self.root = root
        self.max_payload_bytes = max_payload_bytes
        self.reader = reader

    def bound(self, context: SerializationContext, *, schedules: bool = False) -> FolderStorageDriver:
        """This driver for the workflow ``context`` names (a workflow's, or an activity's of a workflow);
        for any other context, one that reads nothing a workflow stored."""
        namespace, workflow_id = getattr(context, "namespace", ""), getattr(context, "workflow_id", None)
        return FolderStorageDriver(
            self.root, self.max_payload_bytes, Reader(namespace or "", workflow_id or "", schedules)
        )

    def name(self) -> str:
        return DRIVER_NAME

    def type(self) -> str:
        return DRIVER_NAME

    async def store(self, context: StorageDriverStoreContext, payloads: Sequence[Payload]) -> list[StorageDriverClaim]:
        scope, owner = scope_of(context)
        blobs = [p.SerializeToString() for p in payloads]
        # File I/O off the event loop: the worker's loop also runs workflow activations.
        return await asyncio.to_thread(self._write_all, scope, owner, blobs)

    async def retrieve(
        self, context: StorageDriverRetrieveContext, claims: Sequence[StorageDriverClaim]
    ) -> list[Payload]:
        return await asyncio.to_thread(lambda: [self._read(c) for c in claims])

    def _write_all(self, scope: str, owner: dict[str, str], blobs: list[bytes]) -> list[StorageDriverClaim]:
        """Claims of ``blobs``, writing those not stored yet. A replay stores each command's values again: what is
        there is found, not measured again (a worker restarted with a smaller limit replays what an earlier one
        stored; it refused it, and its run was retried for ever) nor written again."""
        base = folder = self.root / scope
        within = self._within(owner)
        if within:
            scope, folder = f"{scope}/{within}", base / within
        _touched(base)  # before the values are looked for: a prune that saw the folder old may be deleting it
        digests = [hashlib.sha256(blob).hexdigest() for blob in blobs]
        if owner["kind"] == "any":  # stored now, before it is looked for: prune keeps these values by their age
            for digest in set(digests):
                _touched(folder / digest)
        found = {digest: _holds(folder / digest, blob) for blob, digest in zip(blobs, digests, strict=True)}
        new = [blob for blob, digest in zip(blobs, digests, strict=True) if found[digest] is None]
        for blob in new:
            check_payload_size(len(blob), self.max_payload_bytes)
        # A file at the address that does not hold the value (cut short, changed) is written again, limit or not:
        # kept, every read of the claim was refused as changed, and the run that stored it failed.
        wrong = [blob for blob, digest in zip(blobs, digests, strict=True) if found[digest] is False]
        # A damaged owner file is mended by any store, not only one that writes a value: a workflow whose later
        # stores all found their values kept it, and prune could not tell whose the folder was.
        if new or wrong or _owner_in(base / OWNER_FILE) != owner:
            try:
                self._write_new(base, folder, owner, new + wrong)
            except OSError as exc:
                if exc.errno not in _INCURABLE:
                    raise  # a disk that is full or failing may be mended: the task is retried
                # What is in the way stays in the way: retried, the run waited for ever and nothing said why.
                raise StoredPayloadInvalid(f"cannot store a payload in {folder}: {exc}") from None
        return [
            StorageDriverClaim({"path": f"{scope}/{digest}", "sha256": digest, "bytes": str(len(blob))})
            for blob, digest in zip(blobs, digests, strict=True)
        ]

    def _write_new(self, base: Path, folder: Path, owner: dict[str, str], blobs: list[bytes]) -> None:
        """``blobs`` into ``folder``, within the owner's folder ``base``."""
        _made(self.root)
        require_room(self.root, sum(len(blob) for blob in blobs))
        _made(base, below=self.root)
        owner_file = base / OWNER_FILE
        if _owner_in(owner_file) != owner:
            # Missing, or damaged (cut short, emptied, changed): prune reads a folder without a readable owner as
            # not this driver's and keeps it for ever. The folder's path is made from this owner, so what the file
            # must say is known: it is written whole again, never merged with what was there.
            _write_atomically(owner_file, json.dumps(owner).encode())
        _made(folder, below=self.root)
        written = set()
        for blob in blobs:
            digest = hashlib.sha256(blob).hexdigest()
            if digest not in written:  # content-addressed: the same payload twice is one file
                _write_atomically(folder / digest, blob)
                written.add(digest)

    def _within(self, owner: dict[str, str]) -> str:
        """Where in the owner's folder a value goes for this driver's reader to read it."""
        reader = self.reader
        if reader is None or (owner["kind"] == "wf" and owner["id"] == reader.workflow_id and not reader.schedules):
            return ""
        return "sched" if reader.schedules else f"for/{segment(reader.workflow_id)}"

    def _readable(self, relative: str) -> bool:
        """Whether this driver's reader may read the value at ``relative`` (a path of the layout)."""
        reader, match = self.reader, _CLAIM_PATH.match(relative)
        if reader is None:
            return True
        if match is None or match["ns"] != segment(reader.namespace) or not reader.workflow_id:
            return False  # no workflow (segment("") is "null", a workflow id too): nothing a workflow stored
        mine = segment(reader.workflow_id)
        if match["reader"] is not None:
            return match["reader"] == mine
        if match["kind"] != "wf":
            return False
        if match["sched"] is not None:  # a schedule's input: the schedule's id, or a run it started
            return mine == match["id"] or _starts_runs_of(reader.workflow_id, match["id"])
        return match["id"] == mine

    def _read(self, claim: StorageDriverClaim) -> Payload:
        relative = claim.claim_data.get("path", "")
        digest = claim.claim_data.get("sha256", "")
        if not _CLAIM_PATH.match(relative) or not relative.endswith("/" + digest):
            raise StoredPayloadInvalid(f"not a claim of the {DRIVER_NAME} driver: {relative[:300]!r}")
        if not self._readable(relative):
            assert self.reader is not None
            raise StoredPayloadInvalid(
                f"stored payload {relative} was not stored by or for workflow {self.reader.workflow_id!r}: a"
                " reference may name only the values of the workflow that reads it (a start input cannot point"
                " at another run's value)"
            )
        path = self.root / relative
        try:
            blob = regular_bytes(path, _claimed_size(claim))
        except FileNotFoundError:
            raise StoredPayloadMissing(
                f"stored payload {relative} is missing from {self.root}: it was pruned, or this process uses "
                "another data folder than the worker that stored it (ORCHESTRA_DATA_DIR)"
            ) from None
        except NotTheFile as exc:
            raise StoredPayloadInvalid(f"stored payload {relative} cannot be the value: {exc}") from None
        except OSError as exc:
            if exc.errno not in _IN_THE_WAY:
                raise  # a disk that fails, a process out of files: may be mended, and the task is retried
            # A folder at the address, a file in place of one of its folders, a loop of links: not the value, and no
            # retry changes that. Retried, the run's workflow task failed for ever and the run waited, its cause unsaid.
            raise StoredPayloadInvalid(
                f"stored payload {relative} cannot be read: {exc.strerror} (something in place of the value's file"
                " or of a folder above it; the value is not there)"
            ) from None
        if hashlib.sha256(blob).hexdigest() != digest:
            raise StoredPayloadInvalid(f"stored payload {relative} does not match its hash: the file was changed")
        payload = Payload()
        payload.ParseFromString(blob)
        return payload


def _starts_runs_of(workflow_id: str, schedule: str) -> bool:
    """Whether ``workflow_id`` is a schedule's id (``schedule``, its folder's name) followed by "-" and more.
    Compared on the ids, not their folder names: a long id's name is cut and hashed, so a run's name does
    not start with its schedule's."""
    return any(c == "-" and segment(workflow_id[:i]) == schedule for i, c in enumerate(workflow_id))


def _touched(base: Path) -> None:
    """The owner's folder ``base`` (or a value's file) marked as stored to now. Prune keeps a folder changed within its grace period (a
    value is stored before the run that reads it starts, and the server knows no such run yet), and a folder's time
    changes only with its own entries: a value found there already (the same input for a workflow id used again
    after the server forgot the first run) or written into ``for/`` or ``sched/`` left it old, and prune deleted
    the value between its store and the start of its run, which failed, its input missing."""
    with contextlib.suppress(OSError):  # not there yet (made with the value, which changes it), or only read from
        os.utime(base)


def _holds(path: Path, blob: bytes) -> bool | None:
    """Whether the file at ``path`` holds ``blob`` (None: there is none). Its address is the digest of what should be
    there, so a file found is compared, not trusted: a file cut short (a copy, a disk full, a writer before writes were
    atomic) or changed there was taken for the value, and no read of it ever succeeded. Anything else there (a link,
    a pipe, a file that cannot be read) does not hold it either: the value is written in its place (a folder cannot
    be: ``_write_all`` says so)."""
    try:
        return regular_bytes(path, len(blob), follow=False) == blob  # not followed: a link is not the value
    except FileNotFoundError:
        return None  # not there, or pruned meanwhile
    except (OSError, NotTheFile):
        return False  # unreadable, or not a file of that size: replaced, which needs only the folder to be writable


def _owner_in(path: Path) -> object:
    """What the owner file at ``path`` says (None: nothing readable)."""
    try:
        return json.loads(regular_bytes(path, MAX_OWNER_BYTES, follow=False))
    except (OSError, ValueError):  # NotTheFile is a ValueError
        return None


class NotTheFile(ValueError):
    """Something at a path that is not a file this driver wrote there: not a regular file, or longer than it can be."""


def regular_bytes(path: Path, most: int | None, *, follow: bool = True) -> bytes:
    """The bytes of the regular file at ``path``; NotTheFile for anything else there, or for a file of more than
    ``most`` bytes (None: any size). Opened without waiting, checked on what was opened: a FIFO opened to read waits
    for a writer, and held the thread for ever (a workflow task's read, every retry another thread; prune, on a FIFO
    in place of an ``.owner``), and a device never ends (a link to /dev/zero filled the memory). A folder raises
    IsADirectoryError, as reading it always did. ``follow``: False, a link at ``path`` is not followed (ELOOP)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        found = os.fstat(fd)
        if stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(found.st_mode):
            raise NotTheFile(f"not a regular file ({stat.filemode(found.st_mode)})")
        if most is not None and found.st_size > most:
            raise NotTheFile(f"more than the {most:,} bytes it can hold")  # not its size: a link may name any file
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as file:
        data = file.read() if most is None else file.read(most + 1)
    if most is not None and len(data) > most:  # grew since it was measured
        raise NotTheFile(f"more than the {most:,} bytes it can hold")
    return data


def _claimed_size(claim: StorageDriverClaim) -> int | None:
    """The size of the file ``claim`` names, as its store wrote it (None: a claim without one). A file longer than
    that is not the value, and is not read whole to be hashed (a huge file, or a device, behind its address)."""
    size = claim.claim_data.get("bytes", "")
    return int(size) if size.isdecimal() and len(size) < 19 else None


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers never see a partial file, and a file the history refers to survives a machine crash (its bytes and
    its name: ``_made``, ``_synced``)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _synced(path.parent)  # the file's name in its folder: without it, a crash lost a file synced whole


def _made(folder: Path, *, below: Path | None = None) -> None:
    """``folder`` and the folders above it that are missing, each new one's name synced into the folder above it:
    a file synced in a folder whose own name was not is gone after a machine crash, as its folder is. ``below``: none
    of the folders under it may be a link (ELOOP, which no retry mends)."""
    missing, at = [], folder
    while not at.is_dir():
        missing.append(at)
        at = at.parent
    folder.mkdir(parents=True, exist_ok=True)
    for made in reversed(missing):
        _synced(made.parent)
    # The driver makes no link: one in its layout was put there to take its writes elsewhere (a worker running as
    # root wrote values, .owner and temporary files into whatever folder a link there named). The root may be one.
    at = folder
    while below is not None and at != below and at != at.parent:
        if at.is_symlink():
            raise OSError(errno.ELOOP, f"a link in place of a folder of the store ({at} -> {os.readlink(at)})")
        at = at.parent


def _synced(folder: Path) -> None:
    """``folder``'s entries on disk, where its filesystem syncs folders: some refuse to (EINVAL: network and FUSE
    filesystems, a container's shared folder), and there every store failed, its run retried for ever. There a
    file's name is as durable as that filesystem makes it (as PostgreSQL does)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)
