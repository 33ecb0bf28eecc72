"""examples/mcp/install runs `npm ci` only when node_modules does not hold what package-lock.json locks:
judged by content, so a lock whose mtime is newer (a fresh clone, a git worktree whose node_modules links
to another checkout's) never has the installed tree wiped and installed again. Run on a copy of the
script, with `npm` (and apt-get, pip) standing in so nothing is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestra.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "mcp"
LOCK = json.loads((EXAMPLE / "package-lock.json").read_text())
RECORDER = '#!/bin/sh\necho "$(basename "$0") $*" >> "$CALLS"\n'

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node (Debian's nodejs) is not installed")


def installed_as(lock: dict[str, object]) -> dict[str, object]:
    """What npm records in node_modules/.package-lock.json after installing ``lock``: its packages but
    the project's own entry."""
    packages = {name: entry for name, entry in dict(lock["packages"]).items() if name}  # type: ignore[call-overload]
    return {key: value for key, value in lock.items() if key != "packages"} | {"packages": packages}


def install(tmp_path: Path, installed: dict[str, object] | None) -> list[str]:
    """Run the install script in a copy of examples/mcp whose node_modules records ``installed``, its lock
    written after (newer); returns the commands standing in for npm, apt-get and pip that it ran."""
    folder, stand_ins = tmp_path / "mcp", tmp_path / "bin"
    folder.mkdir()
    stand_ins.mkdir()
    for name in ("install", "installed_matches_lock.js", "requirements.txt"):
        shutil.copy2(EXAMPLE / name, folder / name)
    (folder / "venv" / "bin").mkdir(parents=True)
    for path in (stand_ins / "npm", stand_ins / "apt-get", folder / "venv" / "bin" / "python"):
        path.write_text(RECORDER)
        path.chmod(0o755)
    if installed is not None:
        (folder / "node_modules").mkdir()
        (folder / "node_modules" / ".package-lock.json").write_text(json.dumps(installed, indent=2))
    (folder / "package-lock.json").write_text(json.dumps(LOCK, indent=2))
    os.utime(folder / "package-lock.json", (2_000_000_000, 2_000_000_000))  # newer than what was installed
    calls = tmp_path / "calls"
    calls.touch()
    env = {**os.environ, "PATH": f"{stand_ins}:{os.environ['PATH']}", "CALLS": str(calls)}
    done = subprocess.run([str(folder / "install")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [line.split()[0] for line in calls.read_text().splitlines()]


def test_a_newer_lock_with_the_installed_packages_installs_nothing(tmp_path: Path) -> None:
    assert "npm" not in install(tmp_path, installed_as(LOCK))


def test_the_same_packages_in_another_key_order_install_nothing(tmp_path: Path) -> None:
    installed = installed_as(LOCK)
    packages = dict(installed["packages"])  # type: ignore[call-overload]
    installed["packages"] = {name: dict(reversed(packages[name].items())) for name in reversed(packages)}
    assert "npm" not in install(tmp_path, installed)


@pytest.mark.parametrize("change", ["a version", "a package more", "a package less", "nothing installed"])
def test_node_modules_unlike_the_lock_is_installed_again(tmp_path: Path, change: str) -> None:
    installed: dict[str, object] | None = installed_as(LOCK)
    assert installed is not None
    packages: dict[str, dict[str, object]] = dict(installed["packages"])  # type: ignore[call-overload]
    first = next(iter(packages))
    if change == "a version":
        packages[first] = {**packages[first], "version": "0.0.0"}
    elif change == "a package more":
        packages["node_modules/left-over"] = {"version": "1.0.0"}
    elif change == "a package less":
        del packages[first]
    else:
        installed = None
    if installed is not None:
        installed["packages"] = packages
    assert "npm" in install(tmp_path, installed)
