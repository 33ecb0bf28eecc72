"""A secret in an encoding wrapped in lines is masked (attack350, fix356's list: each was in clear): ``basenc
--base2msbf`` and ``--base2lsbf``'s bits, ``--z85``'s groups and UTF-32's base64, each wrapped at 76 by the real tool,
the secret at every offset of its encoding's group."""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections.abc import Callable

import pytest

from orchestra.secrets import Masker
from tests.security.test_dumps_of_every_form import LONG

_Z85 = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~",
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#",
)


def _bits(data: bytes, reverse: bool) -> str:
    return "".join(f"{byte:08b}"[:: -1 if reverse else 1] for byte in data)


def _base64_core(data: bytes, offset: int) -> str:
    encoded = base64.b64encode(bytes(offset) + data).decode()
    return encoded[-(-offset * 8 // 6) : (offset + len(data)) * 8 // 6]


# Each form's command, and what it writes of 4 bytes of the secret at each of its offsets: those characters found in
# the output, its lines joined, show the bytes.
FORMS: dict[str, tuple[list[str], int, Callable[[bytes], list[str]]]] = {
    "base2msbf": (["basenc", "--base2msbf"], 1, lambda window: [_bits(window, False)]),
    "base2lsbf": (["basenc", "--base2lsbf"], 1, lambda window: [_bits(window, True)]),
    "z85": (["basenc", "--z85"], 4, lambda window: [base64.b85encode(window).translate(_Z85).decode()]),
    "utf-32 base64": (
        ["base64"],
        3,
        lambda window: [_base64_core(window.decode().encode("utf-32-le"), offset) for offset in range(3)],
    ),
}


def shows(output: str, secret: str, form: str) -> bool:
    joined = "".join(output.split())
    data = secret.encode()
    return any(core in joined for at in range(len(data) - 3) for core in FORMS[form][2](data[at : at + 4]))


@pytest.mark.parametrize("form", FORMS)
def test_a_secret_in_a_wrapped_encoding_is_masked_at_every_offset(form: str) -> None:
    command, group, _ = FORMS[form]
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    masker = Masker([LONG])
    for offset in range(2 * group):
        text = "x" * offset + LONG + " and more text" + "." * 40
        data = text.encode("utf-32-le") if form == "utf-32 base64" else text.encode()
        data += bytes(-len(data) % 4)  # basenc --z85 takes whole groups only
        output = subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()
        assert len(output.splitlines()) >= 2 and shows(output, LONG, form), output
        masked = masker.text(output)
        assert not shows(masked, LONG, form), (offset, masked)
        assert shows(masked, "more text", form), ("what holds no secret is kept", masked)


def test_wrapped_lines_holding_no_secret_are_left_as_they_are() -> None:
    output = subprocess.run(["basenc", "--base2msbf"], input=b"nothing here " * 20, capture_output=True).stdout
    assert Masker([LONG]).text(output.decode()) == output.decode()
