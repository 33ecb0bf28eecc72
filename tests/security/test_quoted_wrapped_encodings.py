"""A secret in an encoding wrapped in lines, each line quoted the same way, is masked (fix365's leftover: a wrapped
block was read joined only unquoted, and ``> `` before each line of ``basenc --base2msbf``'s bits left the secret in
clear). Each form made by the real tool, the secret at every offset of its encoding's group, each quote."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from orchestra.secrets import Masker
from tests.security.test_dumps_of_every_form import LONG
from tests.security.test_wrapped_encodings import FORMS, shows

QUOTES = ["> ", "> > ", ">> ", "# ", "| "]


@pytest.mark.parametrize("quote", QUOTES)
@pytest.mark.parametrize("form", FORMS)
def test_a_secret_in_a_quoted_wrapped_encoding_is_masked_at_every_offset(form: str, quote: str) -> None:
    command, group, _ = FORMS[form]
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    masker = Masker([LONG])
    for offset in range(2 * group):
        text = "x" * offset + LONG + " and more text" + "." * 40
        data = text.encode("utf-32-le") if form == "utf-32 base64" else text.encode()
        data += bytes(-len(data) % 4)  # basenc --z85 takes whole groups only
        output = subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()
        quoted = "".join(quote + line + "\n" for line in output.splitlines())
        unquoted = quoted.replace(quote, "")
        assert shows(unquoted, LONG, form), quoted
        masked = masker.text(quoted)
        assert not shows(masked.replace(quote, ""), LONG, form), (offset, masked)
        assert shows(masked.replace(quote, ""), "more text", form), ("what holds no secret is kept", masked)
