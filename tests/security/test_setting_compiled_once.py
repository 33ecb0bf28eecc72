"""The first texts holding a secret setting, masked at once in two threads, compile its pattern once: each compiled it
(tenths of a second of CPU each), the second thread not waiting for the first."""

from __future__ import annotations

import contextlib
import threading

import pytest

from orchestra import secrets
from orchestra.secrets import Masker

SECRET = "compiled-once-correcthorsebatterystaple"


def test_two_threads_masking_a_new_secret_at_once_compile_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    both_in = threading.Barrier(2)
    real = secrets.secret_pattern

    def counted(secret: str) -> str:
        made.append(secret)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_in.wait(timeout=2)  # the other thread's own compile, if it makes one, begins meanwhile
        return real(secret)

    monkeypatch.setattr(secrets, "secret_pattern", counted)
    secrets._compiled.cache_clear()
    masker = Masker([SECRET])
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(masker.text(f"token {SECRET} seen"))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["token *** seen"] * 2
    assert made.count(SECRET) == 1
