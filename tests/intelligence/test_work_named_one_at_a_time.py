"""The work a step's words name ("the summary of", "the translation of") is done first on what it names, one
name at a time, files and quotes alike. "Compare the summary of a.txt with b.txt" compared the two files as
read (the work was done only when every file was so named); "paint a picture of the translation of 'hello
there'" painted the quote untranslated (only files were worked on). Requests written for these tests, with
the media catalogue and the built-ins."""

from __future__ import annotations

from orchestra.plan import Plan
from tests.intelligence.reading import output_of, whole_plan


def _by_tool(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node in plan.nodes:
        out.setdefault(node.tool, []).append(node.id)
    return out


def _read_of(plan: Plan, path: str) -> str:
    (read,) = [n.id for n in plan.nodes if n.tool == "read_file" and n.args == {"path": path}]
    return read


async def test_the_summary_of_one_file_compared_with_another_as_read():
    plan = await whole_plan("Compare the summary of a.txt with b.txt")
    tools = _by_tool(plan)
    (summarize,) = tools["summarize_text"]
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert [n.args for n in plan.nodes if n.id == summarize] == [{"text": output_of(_read_of(plan, "a.txt"))}]
    assert compare.args == {"a": output_of(summarize, "text"), "b": output_of(_read_of(plan, "b.txt"))}


async def test_a_file_as_read_compared_with_the_translation_of_another():
    plan = await whole_plan("Compare a.txt with the translation of b.txt")
    (translate,) = [n for n in plan.nodes if n.tool == "translate_text"]
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert translate.args == {"text": output_of(_read_of(plan, "b.txt"))}
    assert compare.args == {"a": output_of(_read_of(plan, "a.txt")), "b": output_of(translate.id, "text")}


async def test_files_listed_after_the_noun_share_it():
    plan = await whole_plan("Translate the summary of a.txt and b.txt")
    assert sorted(n.args["text"] for n in plan.nodes if n.tool == "summarize_text") == sorted(
        output_of(_read_of(plan, p)) for p in ("a.txt", "b.txt")
    )
    assert len(_by_tool(plan)["translate_text"]) == 2


async def test_a_picture_of_the_translation_of_a_quote():
    plan = await whole_plan("Paint a picture of the translation of 'hello there'")
    (translate,) = [n for n in plan.nodes if n.tool == "translate_text"]
    (paint,) = [n for n in plan.nodes if n.tool == "text_to_image"]
    assert translate.args == {"text": "hello there"}
    assert paint.args == {"text": output_of(translate.id, "text")}


async def test_a_quote_opening_with_a_determiner_is_worked_on():
    plan = await whole_plan("Translate the summary of 'the quick brown fox jumps over the lazy dog'")
    (summarize,) = [n for n in plan.nodes if n.tool == "summarize_text"]
    (translate,) = [n for n in plan.nodes if n.tool == "translate_text"]
    assert summarize.args == {"text": "the quick brown fox jumps over the lazy dog"}
    assert translate.args == {"text": output_of(summarize.id, "text")}


async def test_a_quote_named_plainly_stays_the_steps_own():
    plan = await whole_plan("Paint a picture of 'hello there'")
    assert [(n.tool, n.args) for n in plan.nodes] == [("text_to_image", {"text": "hello there"})]
