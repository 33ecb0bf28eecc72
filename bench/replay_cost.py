"""What a new worker spends replaying a saved run history (a worker killed mid-run: its successor replays the
whole history in one workflow task, which must end within the task timeout, WORKFLOW_TASK_TIMEOUT).

    ORCHESTRA_DATA_DIR=<the run's data dir> .venv/bin/python -m bench.replay_cost HISTORY.json WORKFLOW_ID
        [--namespace default] [--events N] [--profile 25] [--sandbox-contexts]

The history is `temporal workflow show --output json`'s; its stored payloads are read with the settings of the
environment (ORCHESTRA_DATA_DIR or ORCHESTRA_STORAGE_DIR), from the namespace and workflow id they were stored
under. Prints the events, the seconds to parse the JSON (a worker gets protobuf instead) and to replay, and with
--profile the functions that took longest (workflow code runs in the main thread then: debug mode). With
--sandbox-contexts it replays once more with the SDK's own way of answering the payloads' serialization contexts
(code run in the sandbox for each payload; orchestra/payload_contexts.py answers them directly) and prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from orchestra.converter import compose
from orchestra.settings import Settings
from orchestra.signal_refusal import SignalRefusingRunner
from worker import ChainCollectingRunner, ValidatedOnceSandbox, workflow_runner
from workflows.agent import AgentWorkflow
from workflows.orchestration import OrchestrationWorkflow


async def replay(history: WorkflowHistory, namespace: str, debug: bool, sandbox_contexts: bool = False) -> float:
    # The worker's runner, or the same without ContextsOutsideSandbox (as before it).
    runner = ChainCollectingRunner(SignalRefusingRunner(ValidatedOnceSandbox())) if sandbox_contexts else None
    replayer = Replayer(
        namespace=namespace,
        workflows=[OrchestrationWorkflow, AgentWorkflow],
        data_converter=compose(None, Settings.from_env()),
        workflow_runner=runner or workflow_runner(),
        debug_mode=debug,  # no deadlock detection: a profiled activation is slow
    )
    began = time.perf_counter()
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    if result.replay_failure is not None:
        raise SystemExit(f"the history did not replay: {result.replay_failure}")
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.replay_cost")
    p.add_argument("history", type=Path)
    p.add_argument("workflow_id", help="the id its payloads were stored under")
    p.add_argument("--namespace", default="default")
    p.add_argument("--events", type=int, default=0, help="replay only the first this many (does cost grow linearly?)")
    p.add_argument("--profile", type=int, default=0, help="print this many of the costliest functions")
    p.add_argument("--sandbox-contexts", action="store_true", help="replay with the SDK's contexts too, and compare")
    args = p.parse_args(argv)
    began = time.perf_counter()
    history = WorkflowHistory.from_json(args.workflow_id, args.history.read_text())
    parsed = time.perf_counter() - began
    if args.events:
        history = WorkflowHistory(history.workflow_id, history.events[: args.events])
    profile = cProfile.Profile() if args.profile else None
    if profile is not None:
        profile.enable()
    replayed = asyncio.run(replay(history, args.namespace, debug=profile is not None))
    print(f"events {len(history.events):,}  (file of {args.history.stat().st_size:,} bytes)")
    print(f"parse JSON {parsed:.1f} s  replay {replayed:.1f} s  ({replayed / len(history.events) * 1000:.2f} ms/event)")
    if args.sandbox_contexts:
        # Alternated, the least of three each: the machine's other load moves a single replay by a third.
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(3):
            for sandbox in (True, False):
                times[sandbox].append(asyncio.run(replay(history, args.namespace, False, sandbox_contexts=sandbox)))
        print(
            f"least of 3: payload contexts answered in the sandbox (the SDK's way) {min(times[True]):.1f} s,"
            f" answered directly (the worker's) {min(times[False]):.1f} s"
        )
    if profile is not None:
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
