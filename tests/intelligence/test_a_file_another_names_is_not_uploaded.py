"""plan204: "Read paths.txt, then upload the file it names" uploaded paths.txt's own text (third_party: upload_object
takes the text, not a path, and the clause says nowhere it goes): a file said by what another holds was taken as the
one read. What is uploaded is asked, as for a send to a URL or a person (pointed.NAMED_IN_A_FILE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    "task",
    [
        "Read paths.txt, then upload the file it names",
        "Read paths.txt and upload the file it lists",
        "Read paths.txt. Upload the files listed in it.",
    ],
)
async def test_a_file_another_names_is_not_uploaded(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task, THIRD_PARTY)
    uploads = [args for tool, args in calls if tool == "upload_object"]
    assert uploads, calls
    assert all("${read" not in str(args) for args in uploads), uploads
    assert "upload_object_content" in asked, asked


async def test_a_file_read_then_uploaded_is_still_uploaded() -> None:
    calls, _, _ = await calls_asked_and_said("Read notes.txt, then upload it", THIRD_PARTY)
    assert calls[-1][1].get("content") == "${read.output.content}", calls
