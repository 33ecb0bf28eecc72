"""A worker takes on 32 tool calls a core it may use: in a container given less CPU than its host has (a cgroup's
quota: `docker run --cpus=1`, a Kubernetes CPU limit), the quota's cores, not the host's. Counted by the CPUs it may
run on alone, a 1-CPU container on a 64-core host took on 256 calls at once, the burst whose heartbeats time out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra import environment
from orchestra.cpu_cores import cpu_quota, usable_cores
from tests.helpers import worker_for
from worker import ACTIVITIES_PER_CORE, activities_per_cores

CPUS = len(os.sched_getaffinity(0))


def cgroup_v2(root: Path, own: str, limits: dict[str, str]) -> Path:
    """A cgroup v2 tree under ``root``: ``cpu.max`` by directory; the process's own cgroup file, returned."""
    for directory, cpu_max in limits.items():
        (root / directory).mkdir(parents=True, exist_ok=True)
        (root / directory / "cpu.max").write_text(f"{cpu_max}\n")
    own_file = root / "own-cgroup"
    own_file.write_text(f"0::{own}\n")
    return own_file


def cgroup_v1(root: Path, own: str, quota_us: int, period_us: int = 100_000) -> Path:
    cpu = root / "cpu,cpuacct" / own.strip("/")
    cpu.mkdir(parents=True)
    (cpu / "cpu.cfs_quota_us").write_text(f"{quota_us}\n")
    (cpu / "cpu.cfs_period_us").write_text(f"{period_us}\n")
    own_file = root / "own-cgroup"
    own_file.write_text(f"12:memory:/elsewhere\n4:cpu,cpuacct:{own}\n1:name=systemd:/\n")
    return own_file


@pytest.mark.parametrize(
    ("own", "limits", "cores"),
    [
        ("/", {"": "100000 100000"}, 1),  # inside a cgroup namespace: the root is the container's own
        ("/docker/abc", {"docker/abc": "50000 100000"}, 1),  # half a CPU: still one core
        ("/kubepods/pod/c", {"kubepods/pod/c": "max 100000", "kubepods": "100000 100000"}, 1),  # a parent's
        ("/", {"": "max 100000"}, CPUS),  # no quota
    ],
)
def test_a_cpu_quota_bounds_the_cores_a_worker_counts(
    tmp_path: Path, own: str, limits: dict[str, str], cores: int
) -> None:
    own_file = cgroup_v2(tmp_path, own, limits)
    assert usable_cores(tmp_path, own_file) == min(cores, CPUS)
    assert activities_per_cores(tmp_path, own_file) == min(
        environment.MOST_ACTIVITIES, ACTIVITIES_PER_CORE * min(cores, CPUS)
    )


def test_a_cgroup_v1_quota_counts_too(tmp_path: Path) -> None:
    own_file = cgroup_v1(tmp_path, "/docker/abc", quota_us=100_000)
    assert cpu_quota(tmp_path, own_file) == 1.0
    assert activities_per_cores(tmp_path, own_file) == ACTIVITIES_PER_CORE
    unlimited = cgroup_v1(tmp_path / "unlimited", "/docker/abc", quota_us=-1)
    assert cpu_quota(tmp_path / "unlimited", unlimited) is None


@pytest.mark.parametrize("cpu_max", ["", "garbage", "100000 0", "-5 100000", "1 2 3"])
def test_an_unreadable_quota_is_no_quota(tmp_path: Path, cpu_max: str) -> None:
    own_file = cgroup_v2(tmp_path, "/", {"": cpu_max})
    assert cpu_quota(tmp_path, own_file) is None and usable_cores(tmp_path, own_file) == CPUS


def test_no_cgroup_files_at_all_counts_the_cpus(tmp_path: Path) -> None:
    assert usable_cores(tmp_path / "none", tmp_path / "none" / "cgroup") == CPUS


async def test_the_worker_takes_on_as_many_as_its_cores_allow(client: Client, task_queue: str, tmp_path: Path) -> None:
    worker = worker_for(client, task_queue, tmp_path)
    assert worker.config()["max_concurrent_activities"] == activities_per_cores()
