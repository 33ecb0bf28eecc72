"""A plan's notes never contradict its steps (plan354): no note, warning or missing entry says a step is not
planned while the plan holds calls for it. "Email bob@x.com the numbers in b.txt" with the third-party catalogue was
noted "not planned: no tool emails to a person" by analysis, and then planned with send_email by selection."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"

_REQUESTS = [
    "Email bob@x.com the numbers in b.txt",
    "Email the report in notes.txt to bob@example.com",
    "Send 'hello' to bob@x.com",
    "Send notes.txt to me",
    "Share notes.txt with Alice",
    "Forward it to Bob",
    "Submit notes.txt",
    "Text 555-1234 the code in b.txt",
    "Text 'on my way' to +1 555 123 4567",
    "Message #general that the build is done",
    "Post 'deploy finished' to #ops",
    "Send a.txt to https://example.com/upload",
    "Post the first line of notes.txt to https://example.com/hook",
    "Read notes.txt and email a summary of it to carol@example.com",
    "Summarize notes.txt and send it to Bob",
    "Translate notes.txt into French and email it to me",
    "Deliver the weather forecast for Paris to dave@example.com",
    "Mail the checksum of a.txt to ops@example.com",
    "DM Bob the link in links.txt",
    "Hand notes.txt to the team",
    "Read a.txt",
    "Write 'hello' to out.txt",
    "Delete old.txt",
    "Count the words in notes.txt",
    "Copy a.txt to b.txt",
    "List the files in /tmp/x",
    "Fetch https://example.com and save it to page.html",
    "Summarize https://example.com/article",
    "What is the weather in Paris?",
    "Convert 100 USD to EUR",
    "Caption photo.jpg and upload it",
    "Make a picture of a cat and save it to cat.png",
    "Transcribe talk.wav and email it to bob@example.com",
    "Read notes.txt aloud",
    "Generate a video of a dog",
    "Create an issue titled 'broken build'",
    "Comment 'fixed' on issue 12",
    "Schedule a meeting with Alice tomorrow at 10",
    "Find the sentiment of review.txt and text it to 555-0100",
    "Extract the keywords from notes.txt and share them with Bob",
    "Resize photo.jpg to 100x100 and send it to me",
    "Look up example.com's DNS and email the answer to ops@example.com",
    "Send the git log to the team",
    "Tell Bob the build is done",
]

_STEP_SAID_UNPLANNED = re.compile(r"step '([^']+)'.*?(?:is not planned|No suitable tool found)", re.DOTALL)


@pytest.mark.parametrize("catalogues", [(), (MEDIA,), (THIRD_PARTY,)], ids=["built-ins", "media", "third-party"])
@pytest.mark.parametrize("task", _REQUESTS)
async def test_no_note_says_a_planned_step_unplanned(task: str, catalogues: tuple[Path, ...]) -> None:
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    planned = {step for step, calls in result.execution.calls.items() if calls}
    said = [*result.analysis.notes, *result.execution.warnings, *result.execution.missing]
    contradicted = [n for n in said if (m := _STEP_SAID_UNPLANNED.search(n)) and m.group(1) in planned]
    assert not contradicted, (contradicted, sorted(planned))
