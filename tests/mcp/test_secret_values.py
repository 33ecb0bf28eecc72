"""A secret the worker cannot hand a server (bytes that are no UTF-8 in its environment; beyond ASCII in an
HTTP header) is said as such, its value unshown: both failed as a raw UnicodeEncodeError at each listing."""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.mcp.test_event_streams import serving
from tests.mcp.test_hostile import NEVER, hostile, listed, problems

SECRET_ENV = "ORCHESTRA_SECRET_MCP_KEY"


async def test_a_secret_whose_bytes_are_no_utf8_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setitem(os.environb, SECRET_ENV.encode(), b"key-\xff\xfe-4242")
    registry = await listed(tmp_path, hostile("plain", env={"PATH": "/usr/bin", "TOKEN": "${secrets.mcp_key}"}))
    assert "h.plain" not in registry
    said = problems(registry)
    assert "'TOKEN' holds bytes that are not UTF-8" in said and "4242" not in said, said


@pytest.mark.parametrize("value", ["clé-4242", "key-\udcff-4242"], ids=["beyond-ascii", "no-utf8"])
async def test_a_header_secret_http_cannot_carry_is_refused_by_name(tmp_path, monkeypatch, value):
    monkeypatch.setitem(os.environb, SECRET_ENV.encode(), os.fsencode(value))
    with serving(tmp_path, "plain", headers={"X-Key": "${secrets.mcp_key}"}) as listing:
        registry = await asyncio.wait_for(asyncio.to_thread(listing), NEVER)
    assert "s.plain" not in registry
    said = " | ".join(registry.server_problems.get("s", []))
    assert "'X-Key'" in said and "4242" not in said, said
