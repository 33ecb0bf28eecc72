"""The process's secret settings (orchestra/secret_settings.py) remembered by the log masker, by every way a worker is
made (worker.py's main(), create_worker() in a test or a user's script) and before an LLM endpoint's answer is quoted:
only main() remembered them, so an embedded worker's lines were masked only where a call site masked by hand, and an
LLM failure's quote was cut before the settings' masker ran (a setting straddling the cut showed its start)."""

from __future__ import annotations

from orchestra.secret_settings import secret_settings
from orchestra.telemetry import redaction


def remember_secret_settings() -> None:
    """The secret settings masked by value in every text the log masker masks, from now on. Cheap when they are
    remembered already. Off the event loop: the masker they change is made in the caller's thread (a pattern of
    every form, 0.65 s of CPU for a key of 168 characters); on a loop only the values are noted, the masker made at
    its first use."""
    redaction.remember(*secret_settings())
