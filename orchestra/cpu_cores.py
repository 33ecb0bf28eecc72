"""How many cores this process may use: the CPUs it may run on, and no more than its cgroup's CPU quota allows.

A container given one CPU (`docker run --cpus=1`, a Kubernetes CPU limit) on a 64-core host may run on all 64 CPUs,
a slice of each: sized by its CPUs alone, a worker there took on 256 tool calls at once, the burst its heartbeats
time out under (docs/benchmarks.md). The quota is what the kernel lets it use."""

from __future__ import annotations

import os
from pathlib import Path

CGROUPS = Path("/sys/fs/cgroup")
OWN_CGROUPS = Path("/proc/self/cgroup")


def usable_cores(cgroups: Path = CGROUPS, own: Path = OWN_CGROUPS) -> int:
    """The CPUs this process may run on, at most its CPU quota (whole cores, at least one)."""
    cpus = len(os.sched_getaffinity(0))
    quota = cpu_quota(cgroups, own)
    return cpus if quota is None else max(1, min(cpus, int(quota)))


def cpu_quota(cgroups: Path = CGROUPS, own: Path = OWN_CGROUPS) -> float | None:
    """The CPUs' worth of time the process's cgroup (v2 ``cpu.max``, or v1 ``cpu.cfs_quota_us`` over
    ``cpu.cfs_period_us``) and those above it allow, the smallest; None without a quota or a cgroup to read."""
    quotas = [q for d in _cgroup_dirs(cgroups, own) if (q := _quota_in(d)) is not None]
    return min(quotas, default=None)


def _cgroup_dirs(cgroups: Path, own: Path) -> list[Path]:
    """The cgroup directories holding this process's CPU limits, its own and each above it. Inside a cgroup
    namespace its path reads as ``/`` and the root directory is its own."""
    try:
        lines = own.read_text().splitlines()
    except OSError:
        lines = []
    found: list[Path] = []
    for line in lines:
        fields = line.split(":", 2)
        if len(fields) != 3:
            continue
        _, controllers, path = fields
        if controllers == "":  # v2: one unified hierarchy
            found += _up_from(cgroups, path)
        elif "cpu" in controllers.split(","):  # v1: the cpu controller's hierarchy, mounted by its controllers' names
            for mount in (cgroups / controllers, cgroups / "cpu", cgroups / "cpu,cpuacct"):
                if mount.is_dir():
                    found += _up_from(mount, path)
                    break
    return found or [cgroups, cgroups / "cpu"]


def _up_from(root: Path, path: str) -> list[Path]:
    parts = [p for p in path.strip().split("/") if p and p != ".."]
    return [root.joinpath(*parts[:n]) for n in range(len(parts), -1, -1)]


def _quota_in(directory: Path) -> float | None:
    try:
        if (v2 := directory / "cpu.max").is_file():
            quota, _, period = v2.read_text().strip().partition(" ")
            if quota == "max":
                return None
            quota_us, period_us = int(quota), int(period or 100_000)
        else:
            quota_us = int((directory / "cpu.cfs_quota_us").read_text())
            period_us = int((directory / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return None if quota_us <= 0 or period_us <= 0 else quota_us / period_us  # v1's -1: no quota
