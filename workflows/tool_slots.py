"""The tool each running step of a plan calls, for the plan's ``tool_concurrency`` (workflow code): a step that moved
on to an alternative calls that tool, not its own. Steps were held by their own tool only, so a limit on a tool a plan
calls as an alternative limited nothing (every step whose first tool failed called it at once), and a step gone on to
another tool kept its own tool's slot."""

from __future__ import annotations

from collections.abc import Mapping

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.plan import Plan
    from workflows.patches_at_start import patched

# Runs before counted each running step against its own tool and let its alternatives call theirs unheld: they replay so.
ALTERNATIVES_HELD_PATCH = "tool-concurrency-holds-alternatives"


class ToolSlots:
    def __init__(self, plan: Plan, running: Mapping[str, object]) -> None:
        self.plan, self.running = plan, running  # running: the driver's steps running, by node id
        self._calling: dict[str, str | None] = {}  # a running step's tool when not its own (None: waiting for one)
        self.moved = False  # a step let go of its tool's slot since the driver last looked: a held step may start
        self._held: bool | None = None  # whether this run holds alternatives (asked once, where it matters)

    def busy(self) -> dict[str, int]:
        """The running steps, by the tool each calls (or holds a slot of)."""
        counts: dict[str, int] = {}
        for node_id in self.running:
            tool = self._calling.get(node_id, self.plan.node(node_id).tool)
            if tool is not None:
                counts[tool] = counts.get(tool, 0) + 1
        return counts

    async def move(self, node_id: str, tool: str) -> None:
        """Before the running step ``node_id`` calls ``tool``, an alternative: it lets go of the slot it holds, and
        waits for one of ``tool``'s limit, taken as soon as one is free (before the driver can give it to a step)."""
        limits = self.plan.tool_concurrency
        held = self._calling.get(node_id, self.plan.node(node_id).tool)
        if tool == held or (held not in limits and tool not in limits) or not self._holding():
            return
        self._calling[node_id], self.moved = None, True
        limit = limits.get(tool)

        def taken() -> bool:
            if limit is not None and self.busy().get(tool, 0) >= limit:
                return False
            self._calling[node_id] = tool
            return True

        if not taken():
            await workflow.wait_condition(taken)

    def ended(self, node_id: str) -> None:
        self._calling.pop(node_id, None)

    def _holding(self) -> bool:
        if self._held is None:
            self._held = patched(ALTERNATIVES_HELD_PATCH)
        return self._held
