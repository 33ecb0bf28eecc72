"""A worker was said gone when its identity's HOST was this host's name and no process PID ran here: a container of
the same host name but its own PID namespace (docker `--uts host`, Kubernetes hostNetwork pods) read the other's live
workers as gone, and a process that took a dead worker's number kept it counted. A worker's identity now ends with
where its PID numbers it and when it started (orchestra/process_place.py): only a CLI of that place judges it, and a
process of another start is not the worker."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestra import process_place
from orchestra.cli.process_gone import process_gone_here

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Run in a PID namespace of its own: forks a process numbered argv[1] there, which prints its worker identity and
# waits for its stdin to close.
NUMBERED_IN_ITS_NAMESPACE = """
import os, socket, sys
from orchestra import process_place
with open("/proc/sys/kernel/ns_last_pid", "w") as last:
    last.write(str(int(sys.argv[1]) - 1))
child = os.fork()
if child == 0:
    print(f"{os.getpid()}@{socket.gethostname()}/0123abcd{process_place.own_tag()}", flush=True)
    sys.stdin.read()
    os._exit(0)
os.waitpid(child, 0)
"""


def not_running_here() -> int:
    return next(pid for pid in range(4000, 4_000_000) if not Path(f"/proc/{pid}").exists())


def test_a_worker_of_another_place_of_this_host_name_is_not_said_gone() -> None:
    other_place = "0" * process_place.PLACE_CHARS
    assert process_place.place() not in (None, other_place)
    identity = f"{not_running_here()}@{socket.gethostname()}/0123abcd/{other_place}.abcd"
    assert process_gone_here(identity) is False


@pytest.fixture
def worker_in_its_own_pid_namespace() -> Iterator[str]:
    """The identity of a live process of this host name, in a PID namespace of its own, numbered as no process here."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) to make a PID namespace")
    pid = not_running_here()
    command = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"]
    process = subprocess.Popen(
        [*command, sys.executable, "-c", NUMBERED_IN_ITS_NAMESPACE, str(pid)],
        cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdin is not None
    identity = process.stdout.readline().strip()
    try:
        if not identity:
            pytest.skip(f"no PID namespace of its own here: {process.communicate(timeout=60)[1]}")
        assert identity.startswith(f"{pid}@"), identity
        yield identity
    finally:
        process.stdin.close()
        process.wait(timeout=60)


def test_a_live_worker_of_another_pid_namespace_numbered_as_no_process_here_is_not_said_gone(
    worker_in_its_own_pid_namespace: str,
) -> None:
    assert process_gone_here(worker_in_its_own_pid_namespace) is False


def test_a_process_that_took_a_dead_workers_number_is_not_the_worker() -> None:
    own = process_place.stat_fields(os.getpid())
    assert own is not None
    started = process_place.start(own)
    assert started is not None
    other_start = format((int(started, 16) + 1) % 16**process_place.START_CHARS, f"0{process_place.START_CHARS}x")
    here = f"{os.getpid()}@{socket.gethostname()}/0123abcd/{process_place.place()}"
    assert process_gone_here(f"{here}.{other_start}") is True  # this process runs under the number, started otherwise
    assert process_gone_here(f"{here}.{started}") is False


def test_a_worker_identity_says_its_place_and_start() -> None:
    tag = process_place.own_tag()
    assert process_place.TAG.fullmatch(tag), tag
    assert len(f"{os.getpid()}@{socket.gethostname()}/0123abcd{tag}") <= len(socket.gethostname()) + 32
