"""HeldSteps gives the batches the scan of every held and ready step gave (workflows/plan_driver.py before), and
leaves the same order: replays of runs with tool_concurrency make the same commands. Checked against that scan over
random plans, wake-ups and put-backs."""

from __future__ import annotations

import random

import pytest

from orchestra.scheduling import HeldSteps


def scanned(held: list[str], ready: list[str], room: int, busy: dict[str, int], limits: dict[str, int],
            tool_of: dict[str, str]) -> tuple[list[str], list[str]]:  # fmt: skip
    """The code before: the batch, and what stays held."""
    batch: list[str] = []
    kept: list[str] = []
    for node in [*held, *ready]:
        tool = tool_of[node]
        limit = limits.get(tool)
        if len(batch) < room and (limit is None or busy.get(tool, 0) < limit):
            batch.append(node)
            busy[tool] = busy.get(tool, 0) + 1
        else:
            kept.append(node)
    return batch, kept


@pytest.mark.parametrize("seed", range(40))
def test_the_same_batches_and_order_as_the_scan(seed: int) -> None:
    rng = random.Random(seed)
    tools = [f"t{i}" for i in range(rng.randint(1, 5))]
    limits = {t: rng.randint(1, 4) for t in tools if rng.random() < 0.7}
    tool_of = {f"n{i}": rng.choice(tools) for i in range(rng.randint(1, 300))}
    waiting = list(tool_of)
    old_held: list[str] = []
    new = HeldSteps(limits, tool_of.__getitem__)
    running: dict[str, int] = {}
    while waiting or old_held or new:
        ready = waiting[: rng.randint(0, 40)]
        waiting = waiting[len(ready) :]
        room = rng.randint(0, 12)
        old_busy, new_busy = dict(running), dict(running)
        old_batch, old_held = scanned(old_held, ready, room, old_busy, limits, tool_of)
        new.hold(ready)
        assert new.take(room, new_busy) == old_batch
        assert {t: n for t, n in new_busy.items() if t in limits} == {t: n for t, n in old_busy.items() if t in limits}
        for node in old_batch:  # some start and finish, some go back (a condition over the task's budget)
            if rng.random() < 0.1:
                old_held.append(node)
                new.hold([node])
            elif rng.random() < 0.5:
                running[tool_of[node]] = running.get(tool_of[node], 0) + 1
        for tool in list(running):
            if running[tool] and rng.random() < 0.5:
                running[tool] -= 1
        if not ready and not old_batch and not waiting:
            running.clear()  # every running step finished: what is held can start
        assert bool(new) == bool(old_held)
