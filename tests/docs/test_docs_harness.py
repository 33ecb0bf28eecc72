"""The docs test's harness (test_docs.run_block), on blocks of its own: the stack is started again before a
block only when the block before may have stopped it and the block does not start it itself; it starts no stack
itself."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import pytest

from orchestra.settings import PROJECT_ROOT
from tests import reserved_ports as reserved_ports_module
from tests.docs.markdown import Block
from tests.docs.test_docs import Stack, run_block
from tests.reserved_ports import ephemeral_range, reserved, reserved_ports

DOC = PROJECT_ROOT / "README.md"  # where a block is said to be; it runs in the test's own directory


class CountedStack(Stack):
    ups = 0

    def up(self) -> None:
        self.ups += 1


def test_the_stack_is_started_again_only_after_a_block_that_may_have_stopped_it(tmp_path: Path) -> None:
    stack = CountedStack({"PATH": os.environ["PATH"]}, 7233, 8233, 8234)
    scratch = {DOC: tmp_path}

    def ups_before(text: str, exit: int = 0) -> int:
        before = stack.ups
        block = Block(DOC, 1, "sh", text, exit=exit)
        with contextlib.suppress(AssertionError):  # a block that fails: the test goes on
            run_block(block, stack, scratch)
        return stack.ups - before

    assert ups_before("true") == 0, "the stack the fixture started is up"
    assert ups_before("true") == 0
    assert ups_before(": python client.py down") == 0
    assert ups_before("true") == 1, "the block before ran `down`"
    assert ups_before("true") == 0
    assert ups_before("exit 3") == 0
    assert ups_before("true") == 1, "the block before failed half-way"
    assert ups_before("exit 2", exit=2) == 0
    assert ups_before("true") == 0, "the block before ended as the docs say"
    assert ups_before(": python client.py down") == 0
    assert ups_before(": python client.py down && : python client.py up --registry r.yaml") == 0, "it starts it"
    assert ups_before("true") == 0, "the block before ended with the stack up"
    assert ups_before(": python client.py down && : python client.py up && exit 1", exit=1) == 0
    assert ups_before("true") == 1, "the block before ended with an error after `down`: its `up` may not have run"
    assert ups_before(": python client.py up && : python client.py down") == 0
    assert ups_before("true") == 1, "the block before ran `down` last"
    with pytest.raises(pytest.skip.Exception):
        run_block(Block(DOC, 1, "sh", "true", skip="not here"), stack, scratch)


def test_the_stacks_ports_are_none_the_kernel_hands_out_and_held_by_one_test_at_a_time() -> None:
    """The docs stack's demo site port, picked free and released, was bound by another Temporal dev server's internal
    service (a bind to port 0) before the site started: the example's fetch met its HTTP/2 greeting."""
    with reserved_ports(3) as first, reserved_ports(3) as second:
        assert len({*first, *second}) == 6, (first, second)
        assert not [port for port in [*first, *second] if port in ephemeral_range()], (first, second)
        assert all(reserved(port) for port in [*first, *second])
    assert not [port for port in [*first, *second] if reserved(port)], "the block's end gives them back"


def test_a_port_something_listens_on_is_not_reserved(monkeypatch: pytest.MonkeyPatch) -> None:
    with reserved_ports(2) as (taken, free):
        pass
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", taken))
        listener.listen()
        monkeypatch.setattr(reserved_ports_module, "_candidates", lambda: [taken, free])
        with reserved_ports(1) as given:
            assert given == [free]
