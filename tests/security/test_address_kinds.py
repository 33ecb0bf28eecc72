"""Addresses the network boundary must refuse by their kind, whatever name or form leads there, through
the real ``http_request`` tool: each is refused before any connection, naming what it is."""

from __future__ import annotations

import pytest

from orchestra.confinement import Confinement
from orchestra.errors import ToolValidationError
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import perform_request


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # Site-local (fec0::/10): deprecated, still routed where a network uses it; Python calls it global.
        ("http://[fec0::1]/", "site-local"),
        ("http://[fec0::7f00:1]:8233/", "site-local"),
        ("http://[feff:ffff::1]/", "site-local"),
        # What held before, kept so: IPv4 inside IPv6, numeric spellings of loopback, metadata.
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://[64:ff9b::a9fe:a9fe]/", "metadata"),
        ("http://0x7f.1/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ],
)
async def test_an_address_of_a_special_kind_is_refused_before_connecting(tmp_path, url, kind):
    ctx = ToolContext(confinement=Confinement(workspace=tmp_path))  # the default rules: every public name
    with pytest.raises(ToolValidationError) as refused:
        await perform_request(ctx, method="GET", url=url, timeout_s=5)
    assert refused.value.code == "address_not_allowed", refused.value
    assert kind in str(refused.value), str(refused.value)
