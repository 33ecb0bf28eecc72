"""A scripted OpenAI-compatible chat-completions server on loopback (real HTTP), for LLM and agent tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.helpers import http_server

Answer = tuple[int, dict[str, str], bytes]


def completion(
    content: str | None,
    tool_calls: list[dict[str, Any]] | None = None,
    usage: dict[str, Any] | None = None,
    finish_reason: str | None = None,
) -> Answer:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    reason = finish_reason or ("tool_calls" if tool_calls else "stop")
    return reply({"choices": [{"index": 0, "finish_reason": reason, "message": message}]}, usage)


def reply(body: dict[str, Any], usage: dict[str, Any] | None = None) -> Answer:
    """A 200 answer with this body (id, model and usage added): for replies of unusual shapes."""
    full = {"id": "c1", "model": "scripted", **body,
            "usage": usage or {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}  # fmt: skip
    return 200, {"Content-Type": "application/json"}, json.dumps(full).encode()


def call(call_id: str, name: str, **args: Any) -> dict[str, Any]:
    """One native tool call as the model writes it."""
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def done(summary: str = "all done", usage: dict[str, Any] | None = None) -> Answer:
    return completion(None, [call("done", "task_done", summary=summary)], usage)


@contextmanager
def scripted(
    answers: list[Answer], delay_s: float = 0.0, hold: threading.Event | None = None
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serves ``answers`` in order (the last one repeats); yields the base URL and the requests seen.
    ``delay_s`` holds each answer back (for cancelling a run while the model is 'thinking'); ``hold``
    holds every answer until the test sets it."""
    seen: list[dict[str, Any]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def handler(request):
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length) or b"{}")
        with lock:
            seen.append({"path": request.path, "auth": request.headers.get("Authorization"), "body": body})
            index = len(seen) - 1
        if delay_s:
            stop.wait(delay_s)
        if hold is not None:
            while not (hold.is_set() or stop.is_set()):
                hold.wait(0.05)
        return answers[min(index, len(answers) - 1)]

    with http_server(handler) as base:
        try:
            yield f"{base}/v1", seen
        finally:
            stop.set()  # release answers held back, so the server can shut down
