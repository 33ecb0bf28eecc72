"""A secret holding half a surrogate pair (the worker's environment's bytes that are no UTF-8, a value
from a JSON ``"\\ud800"``): refused where it is resolved, and never an exception of the masker's, whose
every log call after raised."""

from __future__ import annotations

import pytest

from orchestra.errors import ToolValidationError
from orchestra.secrets import mask_secrets, resolve_secrets
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK

NOT_UTF8 = "pass\udcffword"  # os.environ's reading of the byte 0xff


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


def test_a_secret_that_is_not_utf8_on_the_worker_is_refused_by_its_variable() -> None:
    with pytest.raises(ToolValidationError, match="ORCHESTRA_SECRET_KEY") as refused:
        resolve_secrets({"h": "${secrets.KEY}"}, env={"ORCHESTRA_SECRET_KEY": NOT_UTF8})
    assert "not UTF-8" in str(refused.value) and NOT_UTF8 not in str(refused.value)


@pytest.mark.parametrize("every_form", [True, False])
def test_a_value_that_is_not_utf8_is_masked_and_logging_goes_on(every_form: bool) -> None:
    redaction.remember({"X-Key": NOT_UTF8}, every_form=every_form)
    line = redaction.redact_processor(None, "info", {"event": f"sent {NOT_UTF8}", "other": "kept"})
    assert line == {"event": f"sent {MASK}", "other": "kept"}
    assert mask_secrets(f"echo {NOT_UTF8}", [NOT_UTF8]) == "echo ***"
