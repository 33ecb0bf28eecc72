"""What setting up a workflow run costs the worker: the CPU of replaying a short saved history (one run's
first activations: a 1-step plan's) N times, each a run of its own in a sandbox of its own, as every run of a
chain, every continue-as-new and every child is; and the modules the sandbox loaded afresh for each run
(a module not passed through is imported again, its code run again, for every run).

    .venv/bin/python -m bench.run_setup_cost [--runs 20] [--history tests/histories/retry.json]

Run it with and without PYTHONDONTWRITEBYTECODE=1 (the first compiles the fresh modules' source every run).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxRestrictions, _importer

from worker import ValidatedOnceSandbox, workflow_runner
from workflows.agent import AgentWorkflow
from workflows.orchestration import OrchestrationWorkflow

# What passing the workflows package through every run's sandbox would save. Not taken: the workflow classes'
# own modules would run unchecked by the sandbox (a datetime.now() there would not raise) for 7-10 ms a run.
PASSED_THROUGH = SandboxRestrictions.default.with_passthrough_modules("workflows")


@contextmanager
def fresh_imports() -> Iterator[Counter[str]]:
    """Counts the modules the sandbox imports afresh instead of passing the host's through."""
    counted: Counter[str] = Counter()
    original = _importer.Importer._maybe_passthrough_module

    def counting(self: _importer.Importer, name: str) -> ModuleType | None:
        module = original(self, name)
        if module is None:
            counted[name] += 1
        return module

    _importer.Importer._maybe_passthrough_module = counting  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        _importer.Importer._maybe_passthrough_module = original  # type: ignore[method-assign]


async def replay_runs(history: WorkflowHistory, runs: int, restrictions: SandboxRestrictions) -> float:
    """CPU seconds for ``runs`` replays of ``history``, each under a workflow id (a run) of its own."""
    replayer = Replayer(
        workflows=[OrchestrationWorkflow, AgentWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(ValidatedOnceSandbox(restrictions)),
    )
    copies = [WorkflowHistory(f"{history.workflow_id}-{n}", history.events) for n in range(runs)]

    async def each() -> Any:
        for copy in copies:
            yield copy

    began = time.process_time()
    async with replayer.workflow_replay_iterator(each()) as results:
        async for result in results:
            if result.replay_failure is not None:
                raise SystemExit(f"the history did not replay: {result.replay_failure}")
    return time.process_time() - began


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.run_setup_cost")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--history", type=Path, default=Path("tests/histories/retry.json"))
    args = p.parse_args(argv)
    history = WorkflowHistory.from_json("bench-run-setup", args.history.read_text())
    ways = {
        "workflow modules imported afresh (the SDK's default)": SandboxRestrictions.default,
        "workflows package passed through (measured, not taken)": PASSED_THROUGH,
    }
    for restrictions in ways.values():
        asyncio.run(replay_runs(history, 1, restrictions))  # validation and the host's own imports, paid once
    # Alternated, the least of three each: the machine's other load moves a single measure by a third.
    cpu: dict[str, list[float]] = {way: [] for way in ways}
    fresh: dict[str, Counter[str]] = {}
    for _ in range(3):
        for way, restrictions in ways.items():
            with fresh_imports() as fresh[way]:
                cpu[way].append(asyncio.run(replay_runs(history, args.runs, restrictions)))
    print(f"{args.runs} runs of {args.history.name} ({len(history.events)} events), CPU a run, least of 3:")
    for way in ways:
        per_run = sorted(name for name, count in fresh[way].items() if count >= args.runs)
        print(f"  {way}: {min(cpu[way]) / args.runs * 1000:.1f} ms; imported afresh every run: {per_run or 'none'}")


if __name__ == "__main__":
    main()
