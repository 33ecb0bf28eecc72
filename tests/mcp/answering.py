"""A Python process that answers a test's questions, a JSON line each, for a module's tests: a check that could
run for hours is made there, so one stuck fails its test at its deadline instead of holding the suite, and
the module starts Python and the project (seconds, more than most checks) once, not once a test."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from orchestra.settings import PROJECT_ROOT


class Answering:
    """``await answering(question)``: the line the script printed for the JSON line it read. A question past
    ``deadline_s`` (or any failure) fails the test asking and ends the process; the next starts another."""

    def __init__(self, script: str, *args: str, deadline_s: float) -> None:
        self.command = (sys.executable, "-c", script, *args)
        self.deadline_s = deadline_s
        self.process: asyncio.subprocess.Process | None = None

    async def __call__(self, question: Any) -> Any:
        if self.process is None:
            self.process = await asyncio.create_subprocess_exec(
                *self.command, cwd=PROJECT_ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
            )
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        try:
            async with asyncio.timeout(self.deadline_s):
                process.stdin.write(json.dumps(question).encode() + b"\n")
                await process.stdin.drain()
                line = await process.stdout.readline()
            assert line, f"the answering process ended ({await process.wait()})"
            return json.loads(line)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self.process is not None:
            if self.process.returncode is None:
                self.process.kill()
            await self.process.wait()
            self.process = None
