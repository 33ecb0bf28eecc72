"""What `validate --plan` pays for a YAML plan whose aliases repeat one long anchored text: the file is
under the size limit, the document it expands to is not.

    .venv/bin/python -m bench.plan_alias_text [--chars 900000] [--aliases 2000,200,20]

Prints, per number of aliases, the file's size, the command's exit code, its wall time and the largest
resident memory of the process (`client.py validate` in a child process; no server needed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.table import print_table

HEADER = ["aliases", "file MB", "expands to MB", "exit", "wall s", "max RSS MB"]


def bomb(chars: int, aliases: int) -> str:
    steps = "".join(f"  - {{id: n{i}, tool: sleep, args: {{seconds: 0}}, description: *big}}\n" for i in range(aliases))
    return f"name: bomb\ndescription: &big {'x' * chars}\nnodes:\n{steps}"


def measure(chars: int, aliases: int, folder: Path) -> list[object]:
    path = folder / f"bomb-{aliases}.yaml"
    path.write_text(bomb(chars, aliases))
    began = time.perf_counter()
    # A fresh child per row: ru_maxrss of the children is the largest any of them reached so far.
    probe = "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); " \
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "client.py", "validate", "--plan", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - began
    code, rss_kb = done.stdout.split()
    size = path.stat().st_size
    return [
        aliases,
        f"{size / 1e6:.2f}",
        f"{chars * (aliases + 1) / 1e6:,.0f}",
        code,
        f"{wall:.2f}",
        f"{int(rss_kb) / 1024:,.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chars", type=int, default=900_000)
    parser.add_argument("--aliases", default="2000,200,20")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure(options.chars, int(n), Path(folder)) for n in options.aliases.split(",")]
    print_table(f"validate --plan: one {options.chars:,}-character anchor aliased", HEADER, rows)


if __name__ == "__main__":
    main()
