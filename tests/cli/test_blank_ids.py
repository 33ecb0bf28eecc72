"""A blank id is a usage error of the command line (exit 2, nothing asked): Temporal refused an empty
one only once asked, "WorkflowId is not set on request", exit 1 as if the command had failed to act."""

from __future__ import annotations

import pytest

from tests.cli.cli import clean_env, closed_port, run_client


@pytest.mark.parametrize(
    "argv",
    [["status", ""], ["result", " "], ["cancel", ""], ["pause", "\t"], ["resume", ""], ["history", ""],
     ["approve", ""], ["schedule", "describe", ""], ["schedule", "delete", " "]],
)  # fmt: skip
async def test_a_blank_id_is_a_usage_error_before_anything_is_asked(argv):
    # The server here is unreachable: a command that went on to ask it would exit 3.
    with closed_port() as port:
        refused = await run_client(*argv, env=clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{port}"))
    assert refused.code == 2 and "an id cannot be empty" in refused.err, (argv, refused.err)


@pytest.mark.parametrize("argv", [["status"], ["cancel"], ["schedule", "describe"]])
async def test_an_id_longer_than_temporal_keeps_is_a_usage_error_said_short(argv):
    """Temporal was asked about it and its answer echoed the id whole, 2,000 characters, exit 1."""
    long_id = "run-" + "é" * 600  # 604 characters, 1,204 bytes: Temporal counts bytes
    with closed_port() as port:
        refused = await run_client(*argv, long_id, env=clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{port}"))
    assert refused.code == 2 and "at most 1,000 bytes" in refused.err and "1,204" in refused.err, refused.err
    assert long_id not in refused.err and len(refused.err) < 600, refused.err


@pytest.mark.parametrize(
    "argv", [["run", "say hello"], ["start", "--plan", "examples/slow_note.yaml"], ["agent", "say hi"]]
)
async def test_a_blank_id_given_to_a_new_run_is_a_usage_error_too(argv):
    """'--id " "' started a run no command could name again: status, cancel and the rest refuse a blank id."""
    with closed_port() as port:
        refused = await run_client(*argv, "--id", " ", env=clean_env(TEMPORAL_ADDRESS=f"127.0.0.1:{port}"))
    assert refused.code == 2 and "an id cannot be empty" in refused.err, (argv, refused.err)
