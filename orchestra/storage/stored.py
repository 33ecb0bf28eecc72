"""Where a value stored on its own is: a model light enough for the record and the plan's models to
import without the SDK (an offline `client.py plan` never loads temporalio)."""

from __future__ import annotations

from pydantic import BaseModel


class StoredValue(BaseModel):
    """Where a value is: the SDK's driver name and claim (path or bucket/key, content hash)."""

    driver: str
    claim: dict[str, str]
    bytes: int
