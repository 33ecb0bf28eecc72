"""Every number a declaration, a setting or a workflow's input gives is finite and bounded: inf was taken as
an MCP server's refresh_s (its tools never listed again) and NaN as a tool's timeout in the agent's and a
chain's workflow input (JSON a client may write without our validation)."""

from __future__ import annotations

import importlib
import math
import pkgutil

import pytest
from pydantic import BaseModel, ValidationError, create_model

import orchestra
from orchestra import environment
from orchestra.mcp.config import McpServerDecl

NOT_OURS = ("orchestra.analysis", "orchestra.planning", "orchestra.selection")
# What the worker measures and reports (a duration, a rate), never read from a file, a setting or a client.
MEASURED = {"SleepOutput.slept_s", "AgentMetrics.cache_hit_rate", "RunMetrics.step_ms_total"}


def float_fields() -> list[tuple[str, type[BaseModel], str]]:
    found: dict[str, tuple[str, type[BaseModel], str]] = {}
    for module in pkgutil.walk_packages(orchestra.__path__, "orchestra."):
        if module.name.startswith(NOT_OURS):
            continue
        for model in vars(importlib.import_module(module.name)).values():
            if not (isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == module.name):
                continue
            for name, field in model.model_fields.items():
                where = f"{model.__name__}.{name}"
                if "float" in str(field.annotation) and not name.endswith("_ms") and where not in MEASURED:
                    found[f"{module.name}.{where}"] = (where, model, name)
    return sorted(found.values(), key=lambda item: item[0])


@pytest.mark.parametrize(("where", "model", "name"), float_fields(), ids=lambda item: str(item))
def test_every_float_a_declaration_or_a_workflow_input_takes_is_a_finite_number_not_below_zero(where, model, name):
    field = model.model_fields[name]
    alone = create_model("Alone", x=(field.annotation, field))
    for number in (math.nan, math.inf, -math.inf, -1.0):
        with pytest.raises(ValidationError):
            alone.model_validate({"x": number})
            pytest.fail(f"{where} took {number}")


def test_an_mcp_servers_refresh_of_inf_is_refused_with_the_reason():
    with pytest.raises(ValidationError) as err:
        McpServerDecl.model_validate({"kind": "mcp", "name": "s", "url": "http://127.0.0.1:1/mcp", "refresh_s": "inf"})
    assert "refresh_s" in str(err.value) and "finite" in str(err.value)
    with pytest.raises(ValidationError, match="less than or equal to 86400"):
        McpServerDecl.model_validate({"kind": "mcp", "name": "s", "url": "http://127.0.0.1:1/mcp", "refresh_s": 1e300})


@pytest.mark.parametrize("name", ["ORCHESTRA_LLM_TIMEOUT_S", "ORCHESTRA_LOCAL_TIME_LIMIT_S", "ORCHESTRA_LOCAL_WORKERS"])
def test_a_setting_of_more_digits_than_a_float_holds_is_refused_not_read_as_inf(name):
    with pytest.raises(environment.SettingError, match="is not a value it takes"):
        environment.value(name, {name: "9" * 400})
