"""An MCP stdio server on the MCP SDK (run by examples/mcp's virtualenv, in the sandbox) that exits on its own
right after answering its first call (``once``), with status 3 and a last line on stderr."""

from __future__ import annotations

import os
import sys
import threading

# Run as a script from this directory (the sandbox sees it, not the project): its sibling is a top-level module.
from memory_hog_server import the_sdks_server  # type: ignore[import-not-found]


def once() -> str:
    def leave() -> None:
        print("leaving after my first call", file=sys.stderr, flush=True)
        os._exit(3)

    threading.Timer(0.2, leave).start()
    return "once"


if __name__ == "__main__":
    server = the_sdks_server()
    server.add_tool(once)
    server.run()
