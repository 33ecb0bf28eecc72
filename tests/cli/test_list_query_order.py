"""`list --query` with ORDER BY: the query was wrapped in parentheses with conditions added after it, the
order inside them, and the server answered a syntax error about a query the user did not write. The order
is put after every condition; a server that cannot order a listing (the dev server's SQL visibility store:
"operation is not supported") is said to be unable to, and an ORDER BY anywhere else is refused saying where
it goes. On the real dev server."""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.cli.errors import CliError
from orchestra.cli.listing import ordering, scope
from tests.cli.cli import Cli


async def test_an_order_by_is_put_last_and_a_server_that_cannot_order_says_so(cli: Cli, task_queue: str) -> None:
    for order in ("ORDER BY StartTime DESC", "order  by `StartTime` asc, CloseTime"):
        shown = await cli("list", "--query", f"TaskQueue = '{task_queue}' {order}", "--json")
        assert shown.code in (0, 2) and "syntax" not in shown.err.lower(), shown.err
        if shown.code == 2:  # the dev server's store lists by start time only
            assert "cannot order a listing" in shown.err and "leave ORDER BY out" in shown.err, shown.err


@pytest.mark.parametrize(
    "query",
    ["(TaskQueue = 'q' ORDER BY StartTime)", "TaskQueue = 'q' ORDER BY StartTime) OR (WorkflowId != 'x'",
     "TaskQueue = 'q' ORDER BY StartTime LIMIT 3", "TaskQueue = 'q' ORDER BY 'StartTime'"],
)  # fmt: skip
async def test_an_order_by_anywhere_else_is_refused_saying_where_it_goes(cli: Cli, query: str) -> None:
    refused = await cli("list", "--query", query, "--json")
    assert refused.code == 2 and "ORDER BY" in refused.err and "WorkflowType" not in refused.err, refused.err


def test_the_order_is_split_from_the_conditions() -> None:
    assert ordering("a = 'order by' ORDER BY StartTime") == ("a = 'order by'", "ORDER BY StartTime")
    assert ordering("ORDER BY StartTime") == (None, "ORDER BY StartTime")
    assert ordering("OrderBy = 'x'") == ("OrderBy = 'x'", "")
    stats: Any = scope
    with pytest.raises(CliError, match="ORDER BY orders a listing"):
        stats("agent", "a = 1 ORDER BY StartTime")  # `stats` counts runs: no order
