"""plan298: a tool that deletes, writes, sends, pays or runs was planned for a clause whose words said none of it,
found by its description's words, its parameters or meaning: "Restore old.jpg" deleted old.jpg (delete_file says
"the undo of a compensation"), "undo my last change" overwrote a file, "trash talk about a.txt" deleted a.txt,
"post-process the image" made an HTTP POST, "Save me some time: summarize a.txt" wrote a file, and a catalogue's
purge tool ("cannot be restored") served "Restore the cache". Such a step is missing (creation required), or goes
to a harmless tool; a clearly asked delete, write, send, charge or run is still planned."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import analyse
from orchestra.planning.pipeline import plan_task
from orchestra.planning.unasked_effects import verbs_said, without_unasked
from orchestra.selection.models import ScoredTool, ToolSelection
from tests.intelligence.reading import MEDIA, as_the_cli_plans

# MCP-like tools with side effects (as a destructiveHint or no readOnlyHint declares them) and a harmless one
CATALOGUE = Path(__file__).with_name("side_effect_tools.yaml")
CHANGING = {"delete_file", "write_file", "shell", "purge_cache", "post_message", "reset_counter", "charge_card"}


async def _planned(task: str, catalogue: Path | None) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    registry = as_the_cli_plans(catalogue) if catalogue else as_the_cli_plans()
    execution = (await plan_task(task, registry)).execution
    nodes = execution.plan.nodes if execution.plan else []
    return [(n.tool, dict(n.args)) for n in nodes], execution.missing


@pytest.mark.parametrize(
    ("task", "catalogue"),
    [
        ("Restore old.jpg and then detect the objects in it", MEDIA),
        ("undo my last change", None),
        ("trash talk about a.txt", None),
        ("trash talk about a.txt", MEDIA),
        ("post-process the image photo.jpg", None),
        ("Save me some time: summarize a.txt", MEDIA),
        ("Process a.txt", None),
        ("Restore the cache", CATALOGUE),
        ("recover the lost entries", CATALOGUE),
        ("restore the old record 42", CATALOGUE),
        ("show the counter visits", CATALOGUE),
        # attack307: a word of the clause that is no verb asking the action (a question about it, a noun or a
        # participle after a determiner, a verb telling what something does) asked it
        ("check whether old.txt is safe to delete", None),
        ("see if it is ok to delete old.txt", None),
        ("show the removed files listed in a.txt", None),
        ("show the removed files listed in a.txt", MEDIA),
        ("explain the store policy in a.txt", None),
        ("explain the store policy in a.txt", MEDIA),
        ("show what the process in a.txt runs", None),
        ("output hello to b.txt", None),
    ],
)
async def test_nothing_is_changed_nor_sent_unasked(task: str, catalogue: Path | None) -> None:
    calls, missing = await _planned(task, catalogue)
    changing = [(tool, args) for tool, args in calls if tool in CHANGING or args.get("method") not in (None, "GET")]
    if task.startswith("output hello"):  # "output ... to b.txt" asks a write to b.txt, and nothing run
        changing = [(tool, args) for tool, args in changing if (tool, args.get("path")) != ("write_file", "b.txt")]
    assert not changing, (changing, missing)
    # listing a.txt is all it asks; writing hello to b.txt is all "output hello to b.txt" asks (plan311)
    if not task.startswith(("show the removed", "output hello")):
        assert missing, calls  # what was asked is said to be missing, not done by something else unasked


async def test_the_reason_names_what_the_tool_would_do() -> None:
    _, missing = await _planned("Restore old.jpg and then detect the objects in it", MEDIA)
    assert any("restore" in m and "delete_file would delete" in m for m in missing), missing
    assert any("nearest without side effects: read_file" in m for m in missing), missing


@pytest.mark.parametrize(
    ("task", "catalogue", "tool"),
    [
        ("Delete old.jpg", MEDIA, "delete_file"),
        ("Trash a.txt", None, "delete_file"),
        ("Summarize a.txt and save it to out.txt", MEDIA, "write_file"),
        ("run ls", None, "shell"),
        ("Purge the cache", CATALOGUE, "purge_cache"),
        ("reset the counter visits", CATALOGUE, "reset_counter"),
        ("charge the card 20 USD", CATALOGUE, "charge_card"),
        ("post a message to the channel general saying hi", CATALOGUE, "post_message"),
        ("Post notes.txt to https://example.com/api", None, "http_request"),
        # an MCP tool without a readOnlyHint has side effects to be retried safely; its words say no change
        ("What is the weather forecast for Paris?", CATALOGUE, "get_forecast"),
        # a file made with words is a write (attack307); a step added to store a result is judged by its clause
        ("make a file b.txt containing hello", None, "write_file"),
        ("create a new file b.txt containing hello", None, "write_file"),
        ("output hello to b.txt", None, "write_file"),
        ("list the files into a new file named listing.json", None, "write_file"),
        ("throw old.txt away", None, "delete_file"),
        ("please delete old.txt", None, "delete_file"),
    ],
)
async def test_a_change_asked_is_still_planned(task: str, catalogue: Path | None, tool: str) -> None:
    calls, missing = await _planned(task, catalogue)
    assert tool in [t for t, _ in calls], (calls, missing)


async def test_an_eligible_harmless_alternative_serves_instead() -> None:
    registry = as_the_cli_plans(MEDIA)
    analysis = await analyse("Restore old.jpg", registry, "heuristic")
    step = analysis.steps[0]
    picked = ScoredTool(tool="delete_file", scores={}, overall=0.9)
    harmless = ScoredTool(tool="edit_image", scores={}, overall=0.5)
    chosen = ToolSelection(step=step.id, capability="restore", selected=picked, alternatives=[harmless], reason="")
    (moved,) = without_unasked([chosen], analysis.steps, registry)
    assert moved.selected is not None and moved.selected.tool == "edit_image", moved
    assert "delete_file would delete" in moved.reason


def test_a_note_the_analysis_adds_asks_nothing() -> None:
    # "(added: the request sends its result there)": the note's "sends" asked a send of any step it was put on
    said = verbs_said("summary -> https://example.com/x (added: the request sends its result there)")
    assert "send" not in said, said
    assert "send" in verbs_said("send the summary to https://example.com/x")
