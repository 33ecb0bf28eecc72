"""The codec server's uvicorn lines (its warnings, an application's traceback) go through the standard library's
logging masked, as its own lines are: uvicorn's own handlers wrote them as they were, the codec key or the server's
bearer token quoted in one in clear. A real codec server process, its real standard error."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from orchestra.codec import new_key
from orchestra.settings import PROJECT_ROOT

TOKEN = "codec-server-token-Qw83vn"
# The server in a thread of its process; once it serves, a line on uvicorn's logger as its warnings are written.
SCRIPT = textwrap.dedent(
    """
    import logging, os, sys, threading, time
    from orchestra import codec_server
    threading.Thread(target=codec_server.main, args=(["--port", "0"],), daemon=True).start()
    for _ in range(300):
        if logging.getLogger("uvicorn.error").level == logging.WARNING:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    key, token = os.environ["ORCHESTRA_CODEC_KEY"], os.environ["ORCHESTRA_CODEC_SERVER_TOKEN"]
    logging.getLogger("uvicorn.error").warning("Invalid HTTP request received: %s %s", key, token)
    sys.stdout.flush(); sys.stderr.flush()
    os._exit(0)
    """
)


def test_uvicorns_lines_in_the_codec_server_are_masked() -> None:
    key = new_key()
    env = {**os.environ, "ORCHESTRA_CODEC_KEY": key, "ORCHESTRA_CODEC_SERVER_TOKEN": TOKEN}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert "codec server on" in done.stdout, done.stderr
    assert "Invalid HTTP request received" in done.stderr, done.stderr
    assert key not in done.stderr + done.stdout and TOKEN not in done.stderr + done.stdout, done.stderr
