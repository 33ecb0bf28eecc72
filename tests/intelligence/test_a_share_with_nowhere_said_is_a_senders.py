"""plan211: "Read paths.txt, then share the document it names" ran extract_entities on paths.txt (third_party,
found by "names"), summarize_text (media) or json_query (built-ins); "Read paths.txt and share the file it names"
listed paths.txt. A verb of handing over with no page said is done by a tool saying it sends or uploads, or is
missing; a send to a URL is still a post to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
SENDERS = {"post_message", "send_email", "send_sms", "upload_object", "http_request"}


@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
@pytest.mark.parametrize(
    "task",
    [
        "Read paths.txt, then share the document it names",
        "Read paths.txt and share the file it names",
        "Read paths.txt, then deliver the document it names",
    ],
)
async def test_a_share_with_nowhere_said_is_a_senders(task: str, catalogue: Path) -> None:
    calls, _, _ = await calls_asked_and_said(task, catalogue)
    assert calls[0] == ("read_file", {"path": "paths.txt"}), calls
    assert all(tool in SENDERS for tool, _ in calls[1:]), calls
    # paths.txt is not what is sent: the file it names is
    assert not any("${read.output.content}" in args.values() for _, args in calls[1:]), calls


async def test_a_send_to_a_page_is_still_posted() -> None:
    calls, _, _ = await calls_asked_and_said("Send notes.txt to https://x.test/u", MEDIA)
    assert calls[-1][0] == "http_request", calls
    assert calls[-1][1].get("url") == "https://x.test/u", calls
