"""`trajectory` takes `--json` as every command that reads does (its output is JSON either way): it was a
usage error, exit 2, for a script that passes --json to every reading command."""

from __future__ import annotations

from tests.cli.cli import Cli


async def test_trajectory_takes_json(cli: Cli):
    missing = await cli.here("trajectory", "no-such-agent-run", "--json")
    assert missing.code == 4, missing.err
    assert "no workflow with id 'no-such-agent-run'" in missing.err
