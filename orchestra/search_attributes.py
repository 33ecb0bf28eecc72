"""The search attributes that make runs findable in the Web UI and with `client.py list --query`.

Typed keys are shared by the workflows (which upsert them) and by the worker / tests (which register
them). Registration is idempotent: only missing attributes are added, and a namespace where the
worker may not add them (Temporal Cloud registers them in its console or tcld) only gets a warning.
"""

from __future__ import annotations

import functools
import logging

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.converter import encode_typed_search_attribute_value
from temporalio.service import RPCError, RPCStatusCode

from orchestra.text import ELLIPSIS

STATE = SearchAttributeKey.for_keyword("OrchestraState")
COMPLEXITY = SearchAttributeKey.for_keyword("OrchestraComplexity")
PLAN = SearchAttributeKey.for_keyword("OrchestraPlan")
TOOL_CALLS = SearchAttributeKey.for_int("OrchestraToolCalls")
TOKENS = SearchAttributeKey.for_int("OrchestraTokens")

ALL = (STATE, COMPLEXITY, PLAN, TOOL_CALLS, TOKENS)
# A Keyword value longer than this fails on SQL visibility stores (PostgreSQL, MySQL keep it in a
# VARCHAR(255); SQLite does not check), and one whose encoded payload is larger than the server's
# limit.searchAttributesSizeOfValue (2 KiB by default) makes the server terminate the run
# ("BadSearchAttributes: ... exceeds size limit").
KEYWORD_MAX_CHARS = 255
VALUE_MAX_BYTES = 2048
_TYPE_NAMES = {"KEYWORD": "Keyword", "INT": "Int"}

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=64)  # a run re-indexes the same name at every state change
def keyword(key: SearchAttributeKey[str], value: str) -> str:
    """``value`` as it can be indexed under ``key``: whole when it fits both limits above, else cut with
    an ellipsis where it must be (the record and the UI keep the whole text)."""
    if len(value) <= KEYWORD_MAX_CHARS and _size(key, value) <= VALUE_MAX_BYTES:
        return value
    room = VALUE_MAX_BYTES - _size(key, ELLIPSIS)
    kept = 0
    for char in value[: KEYWORD_MAX_CHARS - 1]:
        room -= _size(key, char) - 2  # the two quotes around a JSON string are counted once
        if room < 0:
            break
        kept += 1
    return value[:kept] + ELLIPSIS


def _size(key: SearchAttributeKey[str], value: str) -> int:
    return len(encode_typed_search_attribute_value(key, value).data)


def dev_server_args() -> list[str]:
    """`--search-attribute Name=Type` arguments for `temporal server start-dev`."""
    args: list[str] = []
    for key in ALL:
        args += ["--search-attribute", f"{key.name}={_TYPE_NAMES[key.indexed_value_type.name]}"]
    return args


class SearchAttributesMissing(RuntimeError):
    pass


async def register(client: Client) -> list[str]:
    """Add the attributes the namespace lacks; returns the names added (empty when all were there).

    Raises SearchAttributesMissing when they are missing and cannot be added: runs would otherwise
    stall on their first upsert. When the namespace cannot even be asked (no operator permission,
    as with some API keys), only warns.
    """
    namespace = client.namespace
    wanted = ", ".join(f"{k.name}={_TYPE_NAMES[k.indexed_value_type.name]}" for k in ALL)
    try:
        existing = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    except RPCError as exc:
        log.warning("cannot list search attributes of namespace %s (%s); make sure it has %s", namespace,
                    exc.message, wanted)  # fmt: skip
        return []
    missing = {
        key.name: IndexedValueType.ValueType(key.indexed_value_type.value)
        for key in ALL
        if key.name not in existing.custom_attributes
    }
    if not missing:
        return []
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
    except RPCError as exc:
        if exc.status != RPCStatusCode.ALREADY_EXISTS:  # ALREADY_EXISTS: another worker was first
            raise SearchAttributesMissing(
                f"namespace {namespace} lacks the search attributes {', '.join(sorted(missing))} and they cannot "
                f"be added from here ({exc.message}); add {wanted} on the server, e.g. with "
                "`temporal operator search-attribute create --name NAME --type TYPE` or in the Temporal Cloud console"
            ) from None
    return sorted(missing)
