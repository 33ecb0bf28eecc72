"""Ordinary tools still run under the system call filter (fix419 refused the NUMA calls, kcmp, name_to_handle_at,
cachestat, the clock's setters and every number above the tables): coreutils, Python (asyncio's children, threads,
glibc's faccessat), curl against a server on the sandbox's loopback, git, a C compiler and the program it builds, node
and perl, each doing a little real work in real bwrap."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.sandbox import detect
from tests.security.test_sandbox_seccomp import _run

# Each tool prints its name once its work is done; `set -e` stops at the first that fails, with its stderr.
TOOLS = r"""
set -e
printf 'b\na\n' | sort | head -n 1 > sorted && cp sorted copy && stat -c %s copy > /dev/null && ls -l > /dev/null
tar czf copy.tgz copy && tar xzf copy.tgz -O | sha256sum > /dev/null && date > /dev/null && echo coreutils
python3 -c "
import asyncio, http.server, os, subprocess, threading
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b'curl')
    def log_message(self, *_): pass
async def child():
    process = await asyncio.create_subprocess_exec('true')
    return await process.wait()
assert asyncio.run(child()) == 0 and os.access('copy', os.R_OK, follow_symlinks=False)
server = http.server.HTTPServer(('127.0.0.1', 0), Page)
threading.Thread(target=server.serve_forever, daemon=True).start()
page = subprocess.run(['curl', '-sS', f'http://127.0.0.1:{server.server_port}/'], capture_output=True, text=True)
print('python', page.stdout, page.stderr)"
git init -q repo && git -C repo -c user.name=t -c user.email=t@t commit -q --allow-empty -m one && git -C repo log --oneline | wc -l | sed 's/^1$/git/'
printf '#include <stdio.h>\nint main(void) { puts("cc"); return 0; }\n' > hello.c && cc -o hello hello.c && ./hello
node -e "
const {execFileSync} = require('child_process'); const fs = require('fs');
fs.writeFileSync('n.txt', 'node'); console.log(execFileSync('cat', ['n.txt']).toString())"
perl -e 'print "perl\n"'
"""


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


async def test_ordinary_tools_run_under_the_filter(tmp_path: Path) -> None:
    status, out, err = await _run(tmp_path, "/bin/sh", "-c", TOOLS)
    assert (status, out.split()) == (0, ["coreutils", "python", "curl", "git", "cc", "node", "perl"]), err
