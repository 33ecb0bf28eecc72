"""attack140: the last round's conditions, refusals, file order and posting, in shapes they missed.

- A condition said as "should the download fail", "... should it be empty" (inverted), "in the event (that)", "in
  the case that", "as soon as", "only after", "depending on whether", or "if so" / "if not" after a question: the
  delete or the command ran whatever held. A change under one is asked for, with why, as under "if".
- A refusal asking care ("making sure not to delete it", "take care not to", "taking care not to", "see that you
  never delete"): the very delete refused was planned and run.
- A command may change files it never names ("rm -rf .", "rm *.txt", "make clean", a folder): it ran beside the
  read of the file it removed; it now waits for the steps before it taking a file, and those after wait for it.
- A POST to a URL holding a credential (masked, asked for) took the file it was to send as its URL: a GET to what
  notes.txt held, and nothing posted. The URL is asked, the file is the body.
"""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "asked"),
    [
        ("Should the download fail, delete notes.txt", "delete_file_path"),
        ("Delete notes.txt should it be empty", "delete_file_path"),
        ("In the event notes.txt is empty, delete it", "delete_file_path"),
        ("Delete notes.txt in the event that it is empty", "delete_file_path"),
        ("Delete notes.txt in the case that it is empty", "delete_file_path"),
        ("Delete notes.txt as soon as it is empty", "delete_file_path"),
        ("Delete notes.txt, depending on whether it is empty", "delete_file_path"),
        ("Run 'rm -rf build' only after the tests pass", "shell_cmd"),
        ("Is notes.txt empty? If so, delete notes.txt.", "delete_file_path"),
        ("Does a.jpg show a cat? If not, delete a.jpg.", "delete_file_path"),
        ("Every time the download fails, delete notes.txt", "delete_file_path"),
        ("Delete notes.txt each time it is empty", "delete_file_path"),
        ("Delete notes.txt the moment it is empty", "delete_file_path"),
        ("On failure, delete notes.txt", "delete_file_path"),
        ("Delete notes.txt upon success", "delete_file_path"),
        ("Delete notes.txt iff it is empty", "delete_file_path"),
        ("Delete notes.txt on the condition it is empty", "delete_file_path"),
        ("Delete notes.txt, supposing it is empty", "delete_file_path"),
        ("Delete notes.txt if ever it is empty", "delete_file_path"),
    ],
)
async def test_a_change_under_a_condition_in_more_shapes_is_asked(task: str, asked: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    assert asked in missing, calls
    assert not any(tool in ("delete_file", "shell") and asked not in str(args) for tool, args in calls), calls
    assert any("condition" in note for note in notes), notes


@pytest.mark.parametrize(
    ("task", "call"),
    [
        # a time of work done, a question of the user's own, a politeness and a gerund's order stay as they were
        ("Delete notes.txt as soon as you are done", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt only after summarizing it", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt if so desired", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt, if not sooner", ("delete_file", {"path": "notes.txt"})),
        ("Delete the second file, notes.txt", ("delete_file", {"path": "notes.txt"})),
        ("Delete notes.txt whenever possible", ("delete_file", {"path": "notes.txt"})),
    ],
)
async def test_a_time_or_a_politeness_is_no_condition(task: str, call: object) -> None:
    calls, _, notes = await calls_asked_and_said(task, MEDIA)
    assert call in calls and not any("condition" in note for note in notes), (calls, notes)


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt, making sure not to delete it",
        "Summarize notes.txt. Take care not to delete notes.txt.",
        "Summarize notes.txt, taking care not to delete it",
        "Summarize notes.txt. See that you never delete notes.txt.",
        "Summarize notes.txt; mind you don't delete it",
        "Summarize notes.txt, being careful to not run 'rm notes.txt'",
    ],
)
async def test_care_asked_that_work_is_not_done_refuses_it(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert [tool for tool, _ in calls] == ["read_file", "summarize_text"], calls


async def test_care_not_to_forget_still_asks_the_work() -> None:
    calls, _, _ = await calls_asked_and_said("Summarize notes.txt, making sure not to forget to translate it", MEDIA)
    assert "translate_text" in [tool for tool, _ in calls], calls


@pytest.mark.parametrize(
    ("task", "deleted"),
    [
        ("Delete a.txt and notes.txt. Actually, keep notes.txt.", ["a.txt"]),
        ("Delete a.txt and notes.txt. On second thought, don't delete notes.txt.", ["a.txt"]),
        ("Delete a.txt and notes.txt; never mind notes.txt", ["a.txt"]),
        ("Delete a.txt, b.txt and notes.txt, but not notes.txt", ["a.txt", "b.txt"]),
        ("Delete a.txt and notes.txt. Leave notes.txt alone.", ["a.txt"]),
        ("Delete every file; notes.txt must be kept", []),
        ("Delete every file; notes.txt must stay", []),
        # a file kept is kept from deletes only: the other work on it is done
        ("Summarize notes.txt and delete a.txt. Keep notes.txt.", ["a.txt"]),
    ],
)
async def test_a_file_the_request_keeps_is_deleted_by_no_call(task: str, deleted: list[str]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert [args.get("path") for tool, args in calls if tool == "delete_file" and "inputs" not in str(args)] == deleted
    assert ("read_file", {"path": "notes.txt"}) in calls or "Summarize" not in task, calls


async def _plan(task: str) -> Plan:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and not result.execution.missing, result.execution.missing
    return result.execution.plan


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt and run 'rm -rf .'",
        "Summarize notes.txt and run 'rm *.txt'",
        "Summarize docs/a.txt and run 'rm -rf docs'",
        "Summarize notes.txt and run 'make clean'",
        "Caption a.jpg and run 'find . -name \"*.jpg\" -delete'",
    ],
)
async def test_a_command_naming_no_file_read_waits_for_the_reads_before_it(task: str) -> None:
    plan = await _plan(task)
    command = next(n for n in plan.nodes if n.tool == "shell")
    readers = {n.id for n in plan.nodes if n.tool in ("read_file", "caption_image")}
    assert readers and readers <= set(command.depends_on), plan.nodes


async def test_a_read_after_a_command_waits_for_it() -> None:
    plan = await _plan("Run 'rm *.txt' and summarize notes.txt")
    command = next(n for n in plan.nodes if n.tool == "shell")
    read = next(n for n in plan.nodes if n.tool == "read_file")
    assert command.id in read.depends_on, plan.nodes


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/api?token=abc", "http://ann:secret@127.0.0.1:8000/api"])
async def test_a_post_to_a_url_holding_a_credential_asks_the_url_and_sends_the_file(url: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"Post notes.txt to {url}", MEDIA)
    post = next(args for tool, args in calls if tool == "http_request")
    assert post.get("method") == "POST" and "read" in str(post.get("body")), calls
    assert "read" not in str(post.get("url")) and "http_request_url" in missing, calls


@pytest.mark.parametrize(
    "task",
    [
        "Post notes.txt to http://127.0.0.1:8000/api with the header 'X: 1'",
        "Post notes.txt to http://127.0.0.1:8000/api as 'report'",
        "Post notes.txt to http://127.0.0.1:8000/ + 'api'",
    ],
)
async def test_a_quote_beside_a_file_sent_is_not_sent_in_its_place(task: str) -> None:
    # the quote was the body, and notes.txt, read to be sent, went nowhere: which is the body is asked, with why
    calls, missing, notes = await calls_asked_and_said(task, MEDIA)
    post = next(args for tool, args in calls if tool == "http_request")
    assert post.get("method") == "POST" and "http_request_body" in missing, calls
    assert any("read to be sent" in note for note in notes), notes


@pytest.mark.parametrize(
    ("task", "body"),
    [
        ("Post 'hi' to http://127.0.0.1:8000/api", "hi"),
        ("Post notes.txt to http://127.0.0.1:8000/api", "${read.output.content}"),
        # a quote of its own clause, the summary another's: the quote is sent
        ("Summarize notes.txt. Post 'done' to http://127.0.0.1:8000/api", "done"),
    ],
)
async def test_one_thing_to_send_is_sent(task: str, body: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert ("http_request", {"url": "http://127.0.0.1:8000/api", "method": "POST", "body": body}) in calls, calls
    assert missing == [], missing


@pytest.mark.parametrize(
    "task",
    [
        "Delete log.txt and write 'started' to log.txt",
        "Delete log.txt, then append 'started' to log.txt",
        "Delete log.txt and write 'started' to log.txt, then summarize log.txt",
    ],
)
async def test_a_file_written_after_its_delete_is_written_after_it(task: str) -> None:
    # the delete waited for the write said after it (as for a read): the file written was deleted, not made anew
    plan = await _plan(task)
    delete = next(n for n in plan.nodes if n.tool == "delete_file")
    write = next(n for n in plan.nodes if n.tool == "write_file")
    assert delete.id in write.depends_on and write.id not in delete.depends_on, plan.nodes
