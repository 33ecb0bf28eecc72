"""Step conditions: a small, safe expression language evaluated against earlier steps.

``fetch.output.status == 200 and len(titles.output.matches) > 0`` — names are node ids (or
``inputs``), ``.field`` and ``[i]`` walk into their values. Only comparisons, boolean logic,
arithmetic, literals and a few pure functions are allowed: no attribute access on Python objects,
no calls to anything else, so a plan cannot run code on the worker.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from orchestra.references import lookup


class ConditionError(ValueError):
    pass


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": len, "str": str, "int": int, "float": float, "bool": bool, "abs": abs,
    "min": min, "max": max, "lower": lambda s: str(s).lower(), "upper": lambda s: str(s).upper(),
}  # fmt: skip
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
}  # fmt: skip
BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv,
}  # fmt: skip
CONSTANT_NAMES = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


# Conditions run inside workflow code, where a slow expression stalls the run (and every retry of its
# workflow task): they stay short, and nothing in them may build large values.
MAX_EXPRESSION_CHARS = 1000
MAX_SEQUENCE_LENGTH = 100_000


def parse(expression: str) -> ast.Expression:
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ConditionError(f"condition is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"condition {expression!r} is not a valid expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise ConditionError(f"condition {expression!r} calls something other than {sorted(FUNCTIONS)}")
        if not isinstance(node, ALLOWED_NODES):
            raise ConditionError(f"condition {expression!r} uses unsupported syntax {type(node).__name__}")
    return tree


def references(expression: str) -> list[tuple[str, list[str]]]:
    """``(root, path)`` of every value the condition reads; node roots become dependencies."""
    tree = parse(expression)
    inner = {id(child) for n in ast.walk(tree) if isinstance(n, ast.Attribute | ast.Subscript) for child in [n.value]}
    inner |= {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Name | ast.Attribute | ast.Subscript) and id(n) not in inner:
            path = _path(n)
            if path and path[0] not in CONSTANT_NAMES:
                found.append(path)
    return found


def evaluate(expression: str, scope: Mapping[str, Any]) -> bool:
    try:
        return bool(_eval(parse(expression).body, scope))
    except ConditionError:
        raise
    except Exception as exc:  # a type error inside the user's expression, e.g. None > 3
        raise ConditionError(f"condition {expression!r} failed: {exc}") from None


def _path(node: ast.expr) -> tuple[str, list[str]] | None:
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            parts.append(str(node.slice.value))
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, parts[::-1]
        else:
            return None


def _eval(node: ast.expr, scope: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in CONSTANT_NAMES:
        return CONSTANT_NAMES[node.id]
    if isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
        path = _path(node)
        if path is None:
            raise ConditionError("only constant subscripts like x[0] or x['key'] are supported")
        try:
            return lookup(scope, *path)
        except ValueError as exc:
            raise ConditionError(str(exc)) from None
    if isinstance(node, ast.BoolOp):
        values = (_eval(v, scope) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, scope)
        return not operand if isinstance(node.op, ast.Not) else -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.Compare):
        left = _eval(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, scope)
            if not COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, scope), _eval(node.right, scope)
        if not isinstance(node.op, ast.Add) and not (_is_number(left) and _is_number(right)):
            raise ConditionError(f"'{ast.unparse(node)}': arithmetic other than + works on numbers only")
        result = BINARY[type(node.op)](left, right)
        if isinstance(result, str | list) and len(result) > MAX_SEQUENCE_LENGTH:
            raise ConditionError(f"'{ast.unparse(node)}' builds a value longer than {MAX_SEQUENCE_LENGTH}")
        return result
    if isinstance(node, ast.IfExp):
        return _eval(node.body, scope) if _eval(node.test, scope) else _eval(node.orelse, scope)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](*(_eval(a, scope) for a in node.args))
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e, scope) for e in node.elts]
    raise ConditionError(f"unsupported syntax {type(node).__name__}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Attribute, ast.Subscript, ast.BoolOp, ast.And, ast.Or,
    ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Compare, ast.BinOp, ast.IfExp, ast.Call, ast.List, ast.Tuple,
    *COMPARE, *BINARY,
)  # fmt: skip
