"""json_query, extract_text, render_template and sleep."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from orchestra.confinement import Confinement
from orchestra.errors import ToolValidationError
from orchestra.tool_spec import Tool, ToolContext
from orchestra.tools import sleep as sleep_module
from orchestra.tools.json_query import json_query_tool
from orchestra.tools.sleep import sleep_tool
from orchestra.tools.text import extract_text_tool, render_template_tool

from .conftest import HTML_PAGE

QUERY, EXTRACT, RENDER, SLEEP = json_query_tool(), extract_text_tool(), render_template_tool(), sleep_tool()


async def call(tool: Tool, ctx: ToolContext, **args: object) -> dict[str, Any]:
    model = tool.spec.input_model.model_validate(args)
    result = await tool.run(model, ctx)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


# --- json_query -----------------------------------------------------------------------------------


async def test_json_query(ctx: ToolContext) -> None:
    data = {"items": [{"name": "a", "price": 5}, {"name": "b", "price": 15}, {"name": "c", "price": 25}]}
    out = await call(QUERY, ctx, data=data, expression="items[?price > `10`].name")
    assert out == {"result": ["b", "c"]}
    out = await call(QUERY, ctx, data=data, expression="sum(items[].price)")
    assert out == {"result": 45}
    out = await call(QUERY, ctx, data=data, expression="missing.path")
    assert out == {"result": None}


async def test_json_query_bad_expression(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(QUERY, ctx, data={}, expression="items[?")
    assert info.value.code == "bad_expression"
    with pytest.raises(ToolValidationError):
        await call(QUERY, ctx, data={"a": ["x"]}, expression="sum(a)")


async def test_json_query_too_deep_an_expression_is_named(ctx: ToolContext) -> None:
    # The data is flat: the message sent the user to it ("the input is nested too deeply").
    with pytest.raises(ToolValidationError, match="the expression nests 990 brackets deep") as err:
        await call(QUERY, ctx, data=[1], expression="(" * 990 + "@" + ")" * 990)
    assert err.value.code == "too_deep"


def test_json_query_spec() -> None:
    assert QUERY.spec.local is True
    with pytest.raises(ValidationError):
        QUERY.spec.input_model.model_validate({"expression": "a"})  # data is required (null is fine)
    QUERY.spec.input_model.model_validate({"data": None, "expression": "a"})


# --- extract_text ---------------------------------------------------------------------------------


async def test_html_title(ctx: ToolContext) -> None:
    out = await call(EXTRACT, ctx, text=HTML_PAGE, mode="html_title")
    assert out == {"matches": ["Hello Page"], "first": "Hello Page", "count": 1}
    none = await call(EXTRACT, ctx, text="<p>no title</p>", mode="html_title")
    assert none == {"matches": [], "first": None, "count": 0}


async def test_html_text(ctx: ToolContext) -> None:
    out = await call(EXTRACT, ctx, text=HTML_PAGE, mode="html_text")
    assert out["first"] == "Heading\nFirst & only paragraph."


async def test_regex_groups(ctx: ToolContext) -> None:
    text = "alice=30 bob=41"
    whole = await call(EXTRACT, ctx, text=text, pattern=r"\w+=\d+")
    assert whole["matches"] == ["alice=30", "bob=41"]
    one = await call(EXTRACT, ctx, text=text, pattern=r"(\w+)=\d+")
    assert one["matches"] == ["alice", "bob"]
    numbered = await call(EXTRACT, ctx, text=text, pattern=r"(\w+)=(\d+)")
    assert numbered["matches"] == [["alice", "30"], ["bob", "41"]]
    named = await call(EXTRACT, ctx, text=text, pattern=r"(?P<name>\w+)=(?P<age>\d+)", all=False)
    assert named == {"matches": [{"name": "alice", "age": "30"}], "first": {"name": "alice", "age": "30"}, "count": 1}
    nocase = await call(EXTRACT, ctx, text="ABC", pattern="b", ignore_case=True)
    assert nocase["first"] == "B"
    nothing = await call(EXTRACT, ctx, text=text, pattern="zzz")
    assert nothing == {"matches": [], "first": None, "count": 0}


async def test_regex_errors(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError):
        await call(EXTRACT, ctx, text="x", pattern="(")
    with pytest.raises(ToolValidationError):
        await call(EXTRACT, ctx, text="x", mode="regex")


async def test_lines(ctx: ToolContext) -> None:
    text = "error: one\n\ninfo: two\nerror: three\n"
    out = await call(EXTRACT, ctx, text=text, mode="lines")
    assert out["count"] == 3
    errors = await call(EXTRACT, ctx, text=text, mode="lines", pattern="^error")
    assert errors["matches"] == ["error: one", "error: three"]


# The child runs extract_text on `^(a+)+$` against "a" * 64 + "!". A backtracking engine needs about
# 2**64 steps for that (Python's re takes ~8 s at 27 a's and doubles with each one), and it holds the GIL
# throughout, so the child's event loop would be frozen. A ticker coroutine counts how often the loop
# ran while each call was pending. The subprocess timeout is only a guard against a hang, not a measure.
CATASTROPHE_CHILD = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    from orchestra.confinement import Confinement
    from orchestra.tool_spec import ToolContext
    from orchestra.tools.text import ExtractTextInput, extract_text_tool

    async def main():
        ctx = ToolContext(confinement=Confinement(workspace=Path(sys.argv[1])))
        tool = extract_text_tool()
        ticks = 0
        stop = False

        async def ticker():
            nonlocal ticks
            while not stop:
                ticks += 1
                await asyncio.sleep(0)

        ticking = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        results = {}
        text = ("a" * 64 + "!\\n") * 2000
        for mode in ("regex", "lines"):
            before = ticks
            out = await tool.run(ExtractTextInput(text=text, mode=mode, pattern="^(a+)+$"), ctx)
            results[mode] = {"count": out.count, "ticks_during_call": ticks - before}
        stop = True
        await ticking
        print(json.dumps(results))

    asyncio.run(main())
    """
)


def test_catastrophic_pattern_does_not_stall_the_event_loop(workspace: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.run(
        [sys.executable, "-c", CATASTROPHE_CHILD, str(workspace)],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,  # hang guard only: the backtracking engine would need centuries
        check=False,
    )
    assert child.returncode == 0, child.stderr
    results = json.loads(child.stdout)
    for mode in ("regex", "lines"):
        assert results[mode]["count"] == 0
        assert results[mode]["ticks_during_call"] > 0, f"{mode}: the event loop did not run during the call"


@pytest.mark.parametrize(
    ("pattern", "feature"),
    [
        (r"(a)\1", "backreferences"),
        (r"(?P<x>a)(?P=x)", "named backreferences"),
        (r"a(?=b)", "lookahead"),
        (r"a(?!b)", "negative lookahead"),
        (r"(?<=a)b", "lookbehind"),
        (r"(?<!a)b", "negative lookbehind"),
        (r"(?>a+)b", "atomic groups"),
        (r"a++b", "possessive quantifiers"),
        (r"(?x) a b", "inline flag (?x)"),
        (r"a\Z", r"\z"),
    ],
)
async def test_regex_unsupported_features_are_named(ctx: ToolContext, pattern: str, feature: str) -> None:
    for mode in ("regex", "lines"):
        with pytest.raises(ToolValidationError) as info:
            await call(EXTRACT, ctx, text="aab", mode=mode, pattern=pattern)
        assert info.value.code == "unsupported_pattern"
        assert feature in str(info.value)


async def test_regex_keeps_python_behaviour(ctx: ToolContext) -> None:
    text = "Error: one\nwarning: two\nerror: three"
    inline = await call(EXTRACT, ctx, text=text, pattern=r"(?im)^error: (\w+)$")
    assert inline["matches"] == ["one", "three"]
    dotall = await call(EXTRACT, ctx, text="<a\nb>", pattern=r"(?s)<(.*)>")
    assert dotall["first"] == "a\nb"
    empty = await call(EXTRACT, ctx, text="axb", pattern="x*")
    assert empty["matches"] == ["", "x", "", ""]  # empty matches as re.finditer gives them
    unicode = await call(EXTRACT, ctx, text="prix: 12€ — café", pattern=r"(?P<word>\p{L}+)$")
    assert unicode["first"] == {"word": "café"}
    optional = await call(EXTRACT, ctx, text="a", pattern=r"(a)(b)?")
    assert optional["first"] == ["a", None]


async def test_extract_text_size_caps(workspace: Path) -> None:
    small = ToolContext(confinement=Confinement(workspace=workspace, max_output_bytes=10))
    fits = await call(EXTRACT, small, text="a" * 40, pattern="a+")
    assert fits["first"] == "a" * 40
    for mode in ("regex", "lines", "html_text"):
        with pytest.raises(ToolValidationError) as info:
            await call(EXTRACT, small, text="a" * 41, mode=mode, pattern="a")
        assert info.value.code == "text_too_long"
        assert "41 characters" in str(info.value) and "at most 40" in str(info.value)
    ctx = ToolContext(confinement=Confinement(workspace=workspace))
    await call(EXTRACT, ctx, text="a", pattern="a" * 1000)
    with pytest.raises(ToolValidationError) as info:
        await call(EXTRACT, ctx, text="a", pattern="a" * 1001)
    assert info.value.code == "pattern_too_long"
    assert "at most 1000" in str(info.value)


# --- render_template ------------------------------------------------------------------------------


async def test_render_template(ctx: ToolContext) -> None:
    values = {"user": {"name": "Ada", "langs": ["en", "fr"]}, "n": 3, "ok": True, "nothing": None}
    out = await call(
        RENDER,
        ctx,
        template="{{ user.name }} speaks {{user.langs.1}}; all: {{ user.langs }}; n={{ n }} ok={{ ok }} {{ nothing }}",
        values=values,
    )
    assert out == {"text": 'Ada speaks fr; all: ["en", "fr"]; n=3 ok=true null'}


async def test_render_template_missing_name(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError) as info:
        await call(RENDER, ctx, template="Hi {{ user.email }}", values={"user": {"name": "Ada"}})
    assert "user.email" in str(info.value)
    with pytest.raises(ToolValidationError):
        await call(RENDER, ctx, template="{{ items.5 }}", values={"items": [1]})


async def test_render_template_is_not_str_format(ctx: ToolContext) -> None:
    with pytest.raises(ToolValidationError):
        await call(RENDER, ctx, template="{{ x.__class__ }}", values={"x": "s"})
    with pytest.raises(ToolValidationError):
        await call(RENDER, ctx, template="{{ x() }}", values={"x": "s"})
    out = await call(RENDER, ctx, template="{0} {x.__class__}", values={})
    assert out["text"] == "{0} {x.__class__}"


# --- sleep ----------------------------------------------------------------------------------------


async def test_sleep_heartbeats(ctx: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tool beats before each slice of at most HEARTBEAT_INTERVAL_S (the name it reads, in its own
    # module); with short slices a sleep spans several of them however slowly the loop runs.
    monkeypatch.setattr(sleep_module, "HEARTBEAT_INTERVAL_S", 0.05)
    beats: list[tuple[object, ...]] = []
    ctx.heartbeat = lambda *d: beats.append(d)
    out = await call(SLEEP, ctx, seconds=0.5)
    assert out["slept_s"] >= 0.5
    assert len(beats) >= 2  # one per slice; a second one only needs the first 0.05 s slice to end in time


async def test_sleep_zero(ctx: ToolContext) -> None:
    beats: list[tuple[object, ...]] = []
    ctx.heartbeat = lambda *d: beats.append(d)
    out = await call(SLEEP, ctx, seconds=0)
    assert set(out) == {"slept_s"}
    assert beats == [], "nothing to wait for: no slice, so no heartbeat"


async def test_sleep_limits(workspace) -> None:
    ctx = ToolContext(confinement=Confinement(workspace=workspace, max_timeout_s=5))
    with pytest.raises(ToolValidationError):
        await call(SLEEP, ctx, seconds=10)
    for seconds in (-1, float("nan"), 3601):  # NaN slept nothing and said it slept
        with pytest.raises(ValidationError):
            SLEEP.spec.input_model.model_validate({"seconds": seconds})


async def test_sleep_is_cancellable(ctx: ToolContext) -> None:
    sleeping = asyncio.Event()
    ctx.heartbeat = lambda *d: sleeping.set()  # the first beat comes right before the first slice
    task = asyncio.create_task(call(SLEEP, ctx, seconds=60))
    await asyncio.wait_for(sleeping.wait(), 30)  # the tool is running, not merely scheduled
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
