"""The worker's own services stay out of every tool's reach whatever spelling their setting takes: the guard
read 'TEMPORAL_ADDRESS=127.0.0.1.:7233' (a trailing dot, which Temporal's client connects to as 127.0.0.1) as
a name that resolves to nothing, and guarded the frontend on no address; a service bound to 0.0.0.0 (the
metrics address docs/operations.md gives) was guarded on 127.0.0.1, ::1 and 0.0.0.0 only, while it answers on
127.0.0.2 and the host's own LAN address as well."""

from __future__ import annotations

import pytest

from tests.cli.cli import clean_env
from tests.ops.test_host_settings import _process

# Loopback opened to tools as an operator may (a local service of their own): the worker's ports stay closed.
LOOPBACK_RULES = "*,127.0.0.0/8,::1"


@pytest.mark.parametrize(
    ("settings", "url", "what"),
    [
        ({"TEMPORAL_ADDRESS": "127.0.0.1.:7233"}, "http://127.0.0.1:7233/", "Temporal frontend"),
        ({"TEMPORAL_ADDRESS": "localhost.:7233"}, "http://[::1]:7233/", "Temporal frontend"),
        (
            {"TEMPORAL_ADDRESS": "temporal.invalid:7233", "ORCHESTRA_METRICS_ADDRESS": "0.0.0.0:9464"},
            "http://127.0.0.2:9464/metrics",
            "metrics endpoint",
        ),
        (
            {"TEMPORAL_ADDRESS": "temporal.invalid:7233", "ORCHESTRA_METRICS_ADDRESS": "0.0.0.0:9464"},
            "http://[::ffff:127.0.0.3]:9464/metrics",
            "metrics endpoint",
        ),
    ],
)
async def test_a_tool_url_to_the_workers_own_service_is_refused_whatever_its_spelling(settings, url, what, tmp_path):
    env = clean_env(ORCHESTRA_ALLOWED_HOSTS=LOOPBACK_RULES, ORCHESTRA_DATA_DIR=str(tmp_path), **settings)
    code, said = await _process("-m", "orchestra.network", url, env=env)
    assert code == 0 and said.startswith("refused ") and f"the worker's own {what}" in said, said
