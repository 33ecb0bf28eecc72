"""What product143 left: a blank list setting read as 'none' where every other blank is the default, OTLP
settings the exporter ignores or breaks on started without a word, a CA file that is no certificate blamed on
the server, and two wordings of one refusal."""

from __future__ import annotations

from tests.cli.cli import clean_env
from tests.ops.test_host_settings import _process

PUBLIC = "http://93.184.215.14/"  # a public address by literal: no DNS asked


async def test_a_blank_allowed_hosts_is_the_default_as_the_docs_say(tmp_path):
    """ORCHESTRA_ALLOWED_HOSTS='' passed the check as unset, and the worker then allowed no host at all."""
    for blank in ("", "  "):
        env = clean_env(ORCHESTRA_ALLOWED_HOSTS=blank, ORCHESTRA_DATA_DIR=str(tmp_path))
        code, said = await _process("-m", "orchestra.network", PUBLIC, env=env)
        assert code == 0 and said.startswith(f"allowed  {PUBLIC.rstrip('/')}"), said
