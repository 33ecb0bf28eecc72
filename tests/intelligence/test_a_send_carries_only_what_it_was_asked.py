"""A send's inputs come from its own words: what a step before made goes into it only when its clause points at
that ("send it", "post the summary", "notify the team of the result"). "Summarize notes.txt, then send a note
'Done' to the team" sent the unasked summary as the note's title (issue 11); an input the send's words leave
empty is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA

MADE = "${summarize.output.text}"
INPUTS = {1: ["text"], 2: ["title", "body"], 3: ["title", "body", "tag"]}


def _team_tool(folder: Path, inputs: list[str]) -> Path:
    """A tool with a side effect taking ``inputs``, all text, beside the media catalogue's summarize_text."""
    json_body = ", ".join(f'{name}: "{{{{ {name} }}}}"' for name in inputs)
    declared = ", ".join(f"{name}: {{type: string}}" for name in inputs)
    path = folder / f"team{len(inputs)}.yaml"
    path.write_text(
        "version: 1\ntools:\n"
        '  - {name: team_note, kind: http, description: "Send, post or message a note to the team; notify the team.",'
        f" input_types: [{', '.join(['text'] * len(inputs))}], output_types: [text], method: POST,"
        f' url: "https://m.example.com/note", json: {{{json_body}}}, inputs: {{{declared}}}, side_effects: true}}\n'
    )
    return path


async def _send(task: str, inputs: list[str], folder: Path) -> tuple[dict[str, object], list[str]]:
    result = (await plan_task(task, default_registry([MEDIA, _team_tool(folder, inputs)]))).execution
    assert result.plan is not None, result.problems
    sends = [n for n in result.plan.nodes if n.tool == "team_note"]
    assert len(sends) == 1, [n.tool for n in result.plan.nodes]
    return sends[0].args, result.missing_inputs


UNPOINTED = [
    "Summarize notes.txt, then send a note 'Done' to the team.",
    "Summarize notes.txt, then post 'Done' to the team.",
    "Summarize notes.txt, then notify the team: 'Done'",
    "Summarize notes.txt, then message the team 'Done'",
    "Summarize notes.txt. Then send 'Done' to the team.",
    "Summarize notes.txt and then post a note 'Done' for the team",
]


@pytest.mark.parametrize("count", sorted(INPUTS))
@pytest.mark.parametrize("task", UNPOINTED)
async def test_a_send_not_pointing_back_carries_only_its_quote(task: str, count: int, tmp_path: Path) -> None:
    args, missing = await _send(task, INPUTS[count], tmp_path)
    assert not any("summarize" in str(v) for v in args.values()), args
    assert "Done" in args.values(), args
    # what the quote does not fill is asked, never the summary
    assert len(missing) == count - 1, missing


POINTED = [
    "Summarize notes.txt and send it to the team",
    "Summarize notes.txt, then post the summary to the team",
    "Summarize notes.txt, then notify the team of the result",
    "Summarize notes.txt and message it to the team",
    "Summarize notes.txt, then send me the results as a note",
    "Summarize notes.txt, then post your summary for the team",
    "Summarize notes.txt and send a summary to the team",
    "Summarize notes.txt and post both to the team",
]


@pytest.mark.parametrize("count", sorted(INPUTS))
@pytest.mark.parametrize("task", POINTED)
async def test_a_send_pointing_back_carries_what_was_made(task: str, count: int, tmp_path: Path) -> None:
    args, _ = await _send(task, INPUTS[count], tmp_path)
    assert MADE in args.values(), args


async def test_a_send_of_nothing_said_asks_every_input(tmp_path: Path) -> None:
    args, missing = await _send("Summarize notes.txt, then send a note to the team.", INPUTS[2], tmp_path)
    assert not any("summarize" in str(v) for v in args.values()), args
    assert sorted(missing) == ["team_note_body", "team_note_title"]
