"""Ordinary tools still run under the system call filter (fix419 refused the NUMA calls, kcmp, name_to_handle_at,
cachestat, the clock's setters and every number above the tables): coreutils, Python (asyncio's children, threads,
glibc's faccessat), curl against a server on the sandbox's loopback, git, a C compiler and the program it builds, node
and perl, each doing a little real work in real bwrap."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestra.sandbox import detect
from tests.security.test_sandbox_seccomp import _run

PAGE_SERVED = """
import http.server, subprocess, threading
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b'curl')
    def log_message(self, *_): pass
server = http.server.HTTPServer(('127.0.0.1', 0), Page)
threading.Thread(target=server.serve_forever, daemon=True).start()
page = subprocess.run(['curl', '-sS', f'http://127.0.0.1:{server.server_port}/'], capture_output=True, text=True)
print(page.stdout, page.stderr)
"""
PYTHON = """
import asyncio, os, threading
async def child():
    process = await asyncio.create_subprocess_exec('true')
    return await process.wait()
done = []
thread = threading.Thread(target=lambda: done.append(asyncio.run(child())))
thread.start(); thread.join()
assert done == [0] and os.access('.', os.R_OK, follow_symlinks=False)
print('python3')
"""
NODE = """
const {execFileSync} = require('child_process'); const fs = require('fs');
fs.writeFileSync('n.txt', 'node'); console.log(execFileSync('cat', ['n.txt']).toString())
"""
# Each prints its tool's name once its work is done; `set -e` stops at the first command that fails.
TOOLS = {
    "sort": "printf 'b\\na\\n' | sort | head -n 1 > sorted && cp sorted copy && stat -c %s copy > /dev/null && "
    "tar czf copy.tgz copy && tar xzf copy.tgz -O | sha256sum > /dev/null && date > /dev/null && echo sort",
    "python3": f'python3 -c "{PYTHON}"',
    "curl": f'python3 -c "{PAGE_SERVED}"',
    "git": "git init -q repo && git -C repo -c user.name=t -c user.email=t@t commit -q --allow-empty -m one && "
    "git -C repo log --oneline | wc -l | sed 's/^1$/git/'",
    "cc": "printf '#include <stdio.h>\\nint main(void) { puts(\"cc\"); return 0; }\\n' > hello.c && "
    "cc -o hello hello.c && ./hello",
    "node": f'node -e "{NODE}"',
    "perl": "perl -e 'print \"perl\\n\"'",
}


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


@pytest.mark.parametrize("tool", list(TOOLS))
async def test_an_ordinary_tool_runs_under_the_filter(tmp_path: Path, tool: str) -> None:
    if shutil.which(tool) is None:  # the sandbox's /usr is the host's
        pytest.skip(f"no {tool} here")
    status, out, err = await _run(tmp_path, "/bin/sh", "-c", f"set -e\n{TOOLS[tool]}")
    assert (status, out.split()) == (0, [tool]), err
