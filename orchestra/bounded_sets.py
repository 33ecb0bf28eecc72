"""A tool's argument model whose large closed sets refuse in a message of a bounded size.

pydantic writes every value of a ``Literal`` or an ``Enum`` into each refusal of it: a Python tool's own Enum
of 100,000 values made a refusal of 2.8 MB that took about 2 ms, in ``validate`` (up to 20,000 tries a plan)
and in the run, where each refused value's error went into the history. Tools described in files take
``argument_validators.one_of``; a tool registered from Python gets the same here, when it is registered: each
set whose refusal pydantic would write long is wrapped (``one_of``, ``enum_one_of``), and nothing else
changes: the same values are taken, coerced the same way, into the same types.
"""

from __future__ import annotations

import enum
import functools
import operator
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, create_model

from orchestra.argument_validators import enum_one_of, one_of
from orchestra.tool_spec import Tool

_DEPTH = 32


def bounded_model(model: type[BaseModel]) -> type[BaseModel]:
    """``model``, or a subclass of it (same name, validators, config) whose large sets are wrapped."""
    return _bounded(model, {}, 0)


def _bounded(model: type[BaseModel], seen: dict[type[BaseModel], type[BaseModel]], depth: int) -> type[BaseModel]:
    if model in seen or depth > _DEPTH:  # a model that holds itself: left as it is there
        return seen.get(model, model)
    seen[model] = model
    changed: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = _wrapped(field.annotation, seen, depth + 1)
        if annotation is not field.annotation:
            changed[name] = (annotation, field)
    if not changed:
        return model
    bounded: type[BaseModel] = create_model(
        model.__name__, __base__=model, __module__=model.__module__, __doc__=model.__doc__, **changed
    )
    seen[model] = bounded
    return bounded


def _wrapped(annotation: Any, seen: dict[type[BaseModel], type[BaseModel]], depth: int) -> Any:
    """``annotation`` with its large sets wrapped, or ``annotation`` itself (the same object) where none is."""
    if depth > _DEPTH:
        return annotation
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return enum_one_of(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _bounded(annotation, seen, depth)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        wrapped = one_of(args)
        return annotation if typing.get_origin(wrapped) is Literal else wrapped
    if origin is Annotated:
        inner = _wrapped(args[0], seen, depth + 1)
        return annotation if inner is args[0] else Annotated[(inner, *annotation.__metadata__)]
    if origin is None or not args:
        return annotation
    inner_args = tuple(_wrapped(arg, seen, depth + 1) for arg in args)
    if all(new is old for new, old in zip(inner_args, args, strict=True)):
        return annotation
    if origin is typing.Union or origin is types.UnionType:
        return functools.reduce(operator.or_, inner_args) if origin is types.UnionType else typing.Union[inner_args]  # noqa: UP007
    try:
        return annotation.copy_with(inner_args) if hasattr(annotation, "copy_with") else origin[inner_args]
    except TypeError:  # a generic this cannot rebuild: as it was
        return annotation


def bounded_tool(tool: Tool) -> Tool:
    """``tool``, or the same tool with its argument model's large sets wrapped (``bounded_model``). A tool
    built on first use (described in a file: ``one_of`` already; an MCP server's: checked by its JSON schema)
    is left as it is, unbuilt."""
    if not tool.built:
        return tool
    spec = tool.spec
    model = bounded_model(spec.input_model)
    return tool if model is spec.input_model else Tool(spec.model_copy(update={"input_model": model}), tool.run)
