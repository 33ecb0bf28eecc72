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
    # refused where the secret is resolved, by its name and variable, before any server's setting is filled
    assert "'mcp_key' holds bytes that are not UTF-8" in said and SECRET_ENV in said and "4242" not in said, said


@pytest.mark.parametrize(
    ("value", "refused_by"),
    # bytes that are no UTF-8 are refused where the secret is resolved, before the header is filled
    [("clé-4242", "'X-Key'"), ("key-\udcff-4242", "'mcp_key' holds bytes that are not UTF-8")],
    ids=["beyond-ascii", "no-utf8"],
)
async def test_a_header_secret_http_cannot_carry_is_refused_by_name(tmp_path, monkeypatch, value, refused_by):
    monkeypatch.setitem(os.environb, SECRET_ENV.encode(), os.fsencode(value))
    with serving(tmp_path, "plain", headers={"X-Key": "${secrets.mcp_key}"}) as listing:
        registry = await asyncio.wait_for(asyncio.to_thread(listing), NEVER)
    assert "s.plain" not in registry
    said = " | ".join(registry.server_problems.get("s", []))
    assert refused_by in said and "4242" not in said, said
