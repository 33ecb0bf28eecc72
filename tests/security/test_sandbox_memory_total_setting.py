"""ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB past what the kernel takes (2^64 bytes: a root worker writes it as its sandbox IPC
namespace's shmmax) is refused at load, naming the setting; it made every privileged spawn fail with a bare
``OSError: [Errno 22]`` (attack378)."""

from __future__ import annotations

import pytest

from orchestra import environment
from orchestra.environment import SettingError, check_environment


def test_a_total_past_the_kernels_reach_is_refused_by_name() -> None:
    with pytest.raises(SettingError, match="ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB") as refused:
        check_environment({"ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB": str(10**15)})
    assert f"{environment.MOST_MEMORY_TOTAL_MB:,}" in str(refused.value)


def test_the_largest_total_taken_is_accepted() -> None:
    check_environment({"ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB": str(environment.MOST_MEMORY_TOTAL_MB)})
