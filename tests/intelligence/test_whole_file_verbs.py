"""A verb whose object is a file as a whole (unzip, upload, download, delete, rename, print...) is no work of a
tool that handles what the file holds unless the tool's words say it: with the media catalogue "unzip
photos.zip" and "upload photo.jpg to http://..." were an image editor's by meaning alone (the object's noun
carried the sentence's vector), and "download photo.jpg" too. Requests written for these tests."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    ["unzip photos.zip", "Compress the photo vacation.jpg"],
)
def test_a_tool_for_what_the_file_holds_does_not_do_it(task: str) -> None:
    assert tools_chosen(task)[-1] == "-"


def test_an_upload_to_a_url_is_a_post_not_an_edit() -> None:
    # plan141: sent to a URL is posted (the body of a picture is then asked for, with why)
    assert tools_chosen("upload photo.jpg to http://example.com/up") == ["http_request"]


def test_the_tool_that_says_the_verb_still_does_it() -> None:
    assert "edit_image" not in tools_chosen("download photo.jpg")
    assert tools_chosen("download http://example.com/a.jpg and caption it") == ["http_request", "caption_image"]
