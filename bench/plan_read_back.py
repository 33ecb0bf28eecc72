"""What the first activation of a chain's continued run pays for its plan: the whole request decoded (as the SDK
did with each run's arguments), against the largest share of it read back by reference (workflows/plan_pieces.py):
one piece of PLAN_PIECE_STEPS steps decoded, or the request put together again from its pieces. The SDK's deadlock
detector gives an activation 2 s.

    .venv/bin/python -m bench.plan_read_back [--sizes 50000,150000] [--repeat 3]

Best of ``--repeat``, with the project's payload converter, in this process (no server: the cost is the worker's CPU).
"""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import TypeAdapter

from bench.plan_scale import no_op_plan
from bench.server import leave, machine_line
from bench.start_decode import best_of
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.converter import PayloadConverter
from orchestra.plan import PlanNode
from orchestra.plan_chain import PLAN_PIECE_STEPS, PlanCarry, first_run_args
from orchestra.temporal_bounds import reading_written_values

HEADER = ["nodes", "request MB", "whole request s", "one piece s", "put together s", "pieces"]
NODES: TypeAdapter[list[PlanNode]] = TypeAdapter(list[PlanNode])


def measure(nodes: int, repeat: int) -> list[Any]:
    converter = PayloadConverter()
    request = RunRequest(plan=no_op_plan(nodes, 64, local=False))
    both = converter.to_payloads(first_run_args(request))
    whole = best_of(repeat, lambda: converter.from_payloads(both, [RunRequest, PlanCarry | None]))  # type: ignore[list-item]
    steps = request.plan.nodes
    [piece] = converter.to_payloads(
        [[n.model_dump(mode="json", exclude_defaults=True) for n in steps[:PLAN_PIECE_STEPS]]]
    )

    def one_piece() -> None:
        [value] = converter.from_payloads([piece])
        with reading_written_values():
            NODES.validate_python(value)

    header = request.model_dump(mode="json", exclude={"plan": {"nodes"}})

    def put_together() -> None:
        with reading_written_values():
            RunRequest.model_validate({**header, "plan": {**header["plan"], "nodes": steps}})

    pieces = -(-nodes // PLAN_PIECE_STEPS)
    return [f"{nodes:,}", f"{len(both[0].data) / 1e6:.1f}", f"{whole:.3f}", f"{best_of(repeat, one_piece):.3f}",
            f"{best_of(repeat, put_together):.3f}", pieces]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plan_read_back")
    p.add_argument("--sizes", default="50000,150000")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    print(machine_line().split(";")[0], flush=True)
    rows = [measure(int(size), args.repeat) for size in args.sizes.split(",")]
    print_table("A continued run's first activation: its plan decoded whole, or read back by reference", HEADER, rows)
    return 0


if __name__ == "__main__":
    leave(main())
