"""An MCP stdio server on the MCP SDK (run by examples/mcp's virtualenv, in the sandbox) that exits with status 5 in
the middle of every call (``leave``), before answering it, with a last line on stderr."""

from __future__ import annotations

import os
import sys

# Run as a script from this directory (the sandbox sees it, not the project): its sibling is a top-level module.
from memory_hog_server import the_sdks_server  # type: ignore[import-not-found]


def leave() -> str:
    print("leaving in the middle of a call", file=sys.stderr, flush=True)
    os._exit(5)


if __name__ == "__main__":
    server = the_sdks_server()
    server.add_tool(leave)
    server.run()
