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

from orchestra.references import lookup, scan


class ConditionError(ValueError):
    pass


class TaskBudgetSpent(ConditionError):
    """The condition is within its own limit, but not within what the workflow task has left of its Budget: in a
    task of its own it can be decided."""


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


# Conditions run inside workflow code, where a slow expression stalls the run (Temporal's deadlock
# detection fails the workflow task after 2 s) and an exception would fail the task: so an expression
# is short and shallow, and is evaluated under a budget — of work (every node, and every element an
# operation walks, however deep: `[big] == [copy]` compares all of big), of integer size (checked
# before multiplying, not after) and of sequence length. The work of all the conditions evaluated in
# one workflow task is bounded too (a Budget), since a hundred steps may become ready at once. Over
# it, the step fails with a validation error.
MAX_EXPRESSION_CHARS = 1000
# Brackets nested in the text: Python's parser stops past 200 (with a message quoting the whole expression),
# and a condition nested much deeper is also too long; its depth is what the writer must hear about.
MAX_BRACKET_DEPTH = 200
MAX_DEPTH = 200  # a chain like a + b + c nests one level per operator; Python recurses ~3 frames per level
MAX_SEQUENCE_LENGTH = 100_000
MAX_INT_BITS = 4096
# Work is counted in nodes and in bytes of the JSON of the values an operation takes (a C-speed
# comparison walks about 100 MB/s; Python in the workflow sandbox far less, so nothing here walks).
MAX_WORK = 4_000_000
MAX_WORK_PER_TASK = 10_000_000


class Budget:
    """The work left to the conditions evaluated in one workflow task (one wake-up of the run)."""

    def __init__(self, units: int = MAX_WORK_PER_TASK) -> None:
        self.left = units


def parse(expression: str) -> ast.Expression:
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ConditionError(_too_deep(expression) or f"condition is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError(
            _too_deep(expression) or f"condition {expression!r} is not a valid expression: {exc.msg}"
        ) from None
    except (RecursionError, MemoryError, ValueError) as exc:  # the parser's own limits
        raise ConditionError(
            _too_deep(expression) or f"condition {expression!r} is too deeply nested: {type(exc).__name__}"
        ) from None
    if _depth(tree) > MAX_DEPTH:
        raise ConditionError(f"condition {expression!r} is nested deeper than {MAX_DEPTH} levels")
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
            path = path_of(n)
            if path and path[0] not in CONSTANT_NAMES:
                found.append(path)
    return found


def evaluate(expression: str, scope: Mapping[str, Any], budget: Budget | None = None) -> bool:
    try:
        return bool(_Evaluation(scope, budget or Budget()).run(parse(expression).body))
    except ConditionError:
        raise
    except Exception as exc:  # a type error inside the user's expression (None > 3), an overflow...
        raise ConditionError(f"condition {expression!r} failed: {type(exc).__name__}: {exc}") from None


def _too_deep(expression: str) -> str | None:
    """What is wrong with a condition refused for its length or by the parser, when it is its nesting
    (looked for only then: conditions are parsed in workflow code, at every evaluation)."""
    depth = bracket_depth(expression[: 10 * MAX_EXPRESSION_CHARS])
    if depth <= MAX_BRACKET_DEPTH:
        return None
    return f"condition is nested {depth:,} brackets deep; at most {MAX_BRACKET_DEPTH} are allowed"


def bracket_depth(expression: str) -> int:
    """How deep ``(``, ``[`` and ``{`` nest in ``expression``, outside quoted strings (one pass: the
    expression may be any length here). A condition's, or another expression's, for a message."""
    deepest = depth = 0
    quote = ""
    escaped = False
    for char in expression:
        if escaped:
            escaped = False
        elif quote:
            escaped = char == "\\"
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _depth(tree: ast.AST) -> int:
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def path_of(node: ast.expr) -> tuple[str, list[str]] | None:
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


class _Evaluation:
    def __init__(self, scope: Mapping[str, Any], budget: Budget) -> None:
        self.scope = scope
        self.work = 0
        self.budget = budget

    def spend(self, units: int) -> None:
        """Called before the work is done: refused work is not charged to the other conditions."""
        if self.work + units > MAX_WORK:
            raise ConditionError(f"condition needs more than {MAX_WORK} steps of work")
        if units > self.budget.left:
            raise TaskBudgetSpent(
                f"the conditions evaluated together in this workflow task need more than {MAX_WORK_PER_TASK} steps of work"
            )
        self.work += units
        self.budget.left -= units

    def cost(self, *values: Any) -> int:
        """What an operation on ``values`` may visit, however deep they nest: the size of their JSON."""
        return sum(_cost(value) for value in values)

    def run(self, node: ast.expr) -> Any:
        self.spend(1)
        if isinstance(node, ast.Constant):
            _check_value(node.value)
            return node.value
        if isinstance(node, ast.Name) and node.id in CONSTANT_NAMES:
            return CONSTANT_NAMES[node.id]
        if isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
            path = path_of(node)
            if path is None:
                raise ConditionError("only constant subscripts like x[0] or x['key'] are supported")
            try:
                return lookup(self.scope, *path)
            except ValueError as exc:
                raise ConditionError(str(exc)) from None
        if isinstance(node, ast.BoolOp):
            values = (self.run(v) for v in node.values)
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.UnaryOp):
            operand = self.run(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.BinOp):
            return self._arithmetic(node)
        if isinstance(node, ast.IfExp):
            return self.run(node.body) if self.run(node.test) else self.run(node.orelse)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            args = [self.run(a) for a in node.args]
            self.spend(1 if node.func.id == "len" else self.cost(*args))
            result = FUNCTIONS[node.func.id](*args)
            _check_value(result)
            return result
        if isinstance(node, ast.List | ast.Tuple):
            return [self.run(e) for e in node.elts]
        raise ConditionError(f"unsupported syntax {type(node).__name__}")

    def _compare(self, node: ast.Compare) -> bool:
        left = self.run(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.run(comparator)
            self.spend(self.cost(left, right))
            if not COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def _arithmetic(self, node: ast.BinOp) -> Any:
        left, right = self.run(node.left), self.run(node.right)
        if not isinstance(node.op, ast.Add) and not (_is_number(left) and _is_number(right)):
            raise ConditionError(f"'{ast.unparse(node)}': arithmetic other than + works on numbers only")
        if isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length() + right.bit_length() if isinstance(node.op, ast.Mult) else 0
            if max(left.bit_length(), right.bit_length(), bits) > MAX_INT_BITS:
                raise ConditionError(f"'{ast.unparse(node)}': integers above {MAX_INT_BITS} bits are not allowed")
        if isinstance(left, str | list) and isinstance(right, str | list):
            if len(left) + len(right) > MAX_SEQUENCE_LENGTH:
                raise ConditionError(f"'{ast.unparse(node)}' builds a value longer than {MAX_SEQUENCE_LENGTH}")
            self.spend(len(left) + len(right))
        return BINARY[type(node.op)](left, right)


def _cost(value: Any) -> int:
    if isinstance(value, str):
        return len(value) + 1
    if isinstance(value, Mapping | list | tuple):
        return scan(value).json_bytes  # read off the value's JSON, remembered per object (orchestra/references.py)
    return 1


def _check_value(value: Any) -> None:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise ConditionError(f"integers above {MAX_INT_BITS} bits are not allowed in conditions")
    if isinstance(value, str | list) and len(value) > MAX_SEQUENCE_LENGTH:
        raise ConditionError(f"a value longer than {MAX_SEQUENCE_LENGTH} is not allowed in conditions")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Attribute, ast.Subscript, ast.BoolOp, ast.And, ast.Or,
    ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Compare, ast.BinOp, ast.IfExp, ast.Call, ast.List, ast.Tuple,
    *COMPARE, *BINARY,
)  # fmt: skip
