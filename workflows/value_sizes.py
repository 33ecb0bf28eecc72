"""How large a value the run is about to send is, for the checks that fail a step or the run rather than
send what Temporal would refuse (a refused payload fails the workflow task, retried for ever).

The size is the payload's: UTF-8 bytes as the converter writes them (orchestra.limits.payload_size). The
code before counted the characters of the model's JSON with its defaults: 1 MB of '€' in three references
(3 MB sent) passed as 1 M characters and its workflow task failed with PAYLOADS_TOO_LARGE for ever, and a
carry was counted with the defaults the converter leaves out. Behind VALUE_BYTES_PATCH, asked only where
the two counts disagree about the limit, so every history where they agree replays as it did.
"""

from __future__ import annotations

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.limits import payload_size

VALUE_BYTES_PATCH = "value-sizes-are-the-payloads-utf8-bytes"


def sent_size(value: BaseModel, limit: int) -> int:
    """The size of ``value`` to compare with ``limit``: its payload's bytes (its JSON's characters in a run
    of the code before, where that count gives the other answer)."""
    size = payload_size(value)
    characters = len(value.model_dump_json())
    if (size > limit) != (characters > limit) and not workflow.patched(VALUE_BYTES_PATCH):
        return characters
    return size
