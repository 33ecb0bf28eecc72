"""A secret's UTF-32 bytes in base64 or as spaced hex (Node's ``<Buffer 63 00 00 00 ...>``), and its UTF-16 or UTF-32
bytes with every byte escaped (``\\x63\\x00``) or percent-encoded (``%63%00``), are masked as its UTF-16 and UTF-8 bytes
in those forms were: each showed the secret in clear (attack350 M2). The forms made by the tools that write them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from orchestra.secrets import Masker

SECRET = "correcthorsebatterystaple42"
WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32")


def _tool(command: list[str], data: bytes) -> str:
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def _masked(text: str) -> bool:
    return "***" in Masker([SECRET]).text(f"got: {text} end")


@pytest.mark.parametrize("encoding", WIDE)
def test_wide_bytes_in_base64_are_masked(encoding: str) -> None:
    # Unwrapped, as a program's base64 call writes it: UTF-32's wrapped in lines is not read (docs/security.md).
    assert _masked(_tool(["base64", "-w", "0"], SECRET.encode(encoding)))


@pytest.mark.skipif(shutil.which("node") is None, reason="Node writes the Buffer")
@pytest.mark.parametrize("encoding", WIDE)
def test_wide_bytes_as_a_node_buffer_are_masked(encoding: str) -> None:
    script = "console.log(Buffer.from(process.argv[1], 'hex'))"  # every byte Node shows, not its first 50
    command = ["node", "-e", f"require('buffer').INSPECT_MAX_BYTES = 1000; {script}"]
    shown = subprocess.run([*command, SECRET.encode(encoding).hex()], capture_output=True, check=True, text=True)
    assert shown.stdout.startswith("<Buffer "), shown.stdout
    assert _masked(shown.stdout)


@pytest.mark.parametrize("encoding", WIDE)
@pytest.mark.parametrize("escape", ["\\x{:02x}", "\\x{:02X}", "%{:02X}", "%{:02x}"])
def test_wide_bytes_each_escaped_are_masked(encoding: str, escape: str) -> None:
    assert _masked("".join(escape.format(byte) for byte in SECRET.encode(encoding)))


def test_utf8_bytes_each_escaped_still_masked() -> None:
    assert _masked("".join(f"\\x{byte:02x}" for byte in SECRET.encode()))
    assert _masked("".join(f"%{byte:02X}" for byte in SECRET.encode()))
