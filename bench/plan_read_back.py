"""What an activation of a chain's run pays for its plan: the whole request decoded (as the SDK did with each run's
arguments, the first run's too), against the largest share of it read back by reference (workflows/plan_pieces.py):
one piece of PLAN_PIECE_STEPS steps decoded, or the request put together again from its pieces; and the first run's
request as its starter sends it by reference (orchestra/plan_start.py: the first piece and the others' references),
and the argument of the activity validating the plan (the plan whole, or a StoredPlan). The SDK's deadlock detector
gives an activation 2 s.

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
from orchestra.plan_chain import PLAN_PIECE_BYTES, PLAN_PIECE_STEPS, PlanCarry, StoredPlan, first_run_args, in_pieces
from orchestra.storage.stored import StoredValue
from orchestra.temporal_bounds import reading_written_values

HEADER = ["nodes", "request MB", "whole request s", "started by reference s", "one piece s", "put together s",
          "validation's argument whole -> stored s", "pieces"]  # fmt: skip
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

    written = [n.model_dump(mode="json", exclude_defaults=True) for n in steps]
    cut = in_pieces(written, PLAN_PIECE_STEPS, PLAN_PIECE_BYTES)
    refs = [StoredValue(driver="orchestra.folder", claim={"path": f"p{at}", "sha256": "0" * 64}, bytes=1) for at in cut]
    given = request.model_copy(update={"plan": request.plan.model_copy(update={"nodes": steps[: len(cut[0])]}),
                                       "steps_stored": refs[1:]})  # fmt: skip
    started = converter.to_payloads(first_run_args(given))
    by_reference = best_of(repeat, lambda: converter.from_payloads(started, [RunRequest, PlanCarry | None]))  # type: ignore[list-item]
    stored = StoredPlan(plan=request.plan.model_dump(mode="json", exclude={"nodes"}), first=cut[0], pieces=refs[1:])
    argument = best_of(repeat, lambda: converter.to_payloads([request.plan]))
    argument_stored = best_of(repeat, lambda: converter.to_payloads([stored]))
    return [f"{nodes:,}", f"{len(both[0].data) / 1e6:.1f}", f"{whole:.3f}", f"{by_reference:.3f}",
            f"{best_of(repeat, one_piece):.3f}", f"{best_of(repeat, put_together):.3f}",
            f"{argument:.3f} -> {argument_stored:.3f}", len(cut)]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plan_read_back")
    p.add_argument("--sizes", default="50000,150000")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    print(machine_line().split(";")[0], flush=True)
    rows = [measure(int(size), args.repeat) for size in args.sizes.split(",")]
    print_table("A run's activations: its plan decoded whole, or by reference (best of each)", HEADER, rows)
    return 0


if __name__ == "__main__":
    leave(main())
