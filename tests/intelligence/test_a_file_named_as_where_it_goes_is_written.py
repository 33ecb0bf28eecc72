"""plan204: with the third_party catalogue, "Fetch https://x.test/a and save it to page.html" planned http_request,
read_file(page.html) and upload_object: an uploader ranked by "save" stored the page elsewhere and read the file to
write as what it uploaded. A file named as where a result goes is written by a tool told a path, or asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said, output_of

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    ("task", "path", "made"),
    [
        ("Fetch https://x.test/a and save it to page.html", "page.html", output_of("fetch", "text")),
        ("Fetch https://x.test/a, then store it in page.html", "page.html", output_of("fetch", "text")),
        ("Read a.txt and save it to b.txt", "b.txt", output_of("read")),
    ],
)
async def test_a_file_named_as_where_it_goes_is_written(task: str, path: str, made: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, THIRD_PARTY)
    assert not any(tool == "upload_object" for tool, _ in calls), calls
    assert ("read_file", {"path": path}) not in calls, calls  # the file written is not read as what is stored
    assert calls[-1] == ("write_file", {"path": path, "content": made}), calls
