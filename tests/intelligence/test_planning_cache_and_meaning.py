"""What planning keeps on disk (a tool file's declarations, a registry's index, the tools' vectors),
retrieval by meaning where words fail, and steps added by data type."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from orchestra.selection import disk_cache
from orchestra.selection.index import ToolIndex
from orchestra.tools.tool_files import load_tool_file
from tests.intelligence.reading import MEDIA


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "cache" / "planning"


def _steps(task: str, path: Path = MEDIA) -> list[str]:
    return [
        s.candidates[0] if s.candidates else "(missing)"
        for s in analyse_heuristic(task, default_registry([path])).steps
    ]


def test_a_tool_file_is_read_from_the_cache_once_checked(data_dir: Path, tmp_path: Path):
    copy = tmp_path / "media.yaml"
    shutil.copy(MEDIA, copy)
    first = load_tool_file(copy)
    (entry,) = data_dir.glob("tools-*")
    copy.write_text("not: [valid")  # a different content is read (and refused) again, never served stale
    with pytest.raises(ValueError, match="not valid YAML"):
        load_tool_file(copy)
    shutil.copy(MEDIA, copy)
    entry.write_bytes(b"damaged")  # a damaged entry is ignored and written anew
    assert [t.card for t in load_tool_file(copy)] == [t.card for t in first]
    again = load_tool_file(copy)  # from the cache now: same cards, models built from the declaration
    assert [t.card for t in again] == [t.card for t in first] and not any(t.built for t in again)
    summarize = next(t for t in again if t.name == "summarize_text")
    assert summarize.spec.input_model.model_json_schema()["required"] == ["text"]


def test_an_index_read_back_from_disk_ranks_like_the_one_built(data_dir: Path):
    registry = default_registry([MEDIA])
    built = ToolIndex.build(t.card for t in registry)
    stored = ToolIndex.from_data(built.to_data(), {t.name: t.card for t in registry})
    assert stored is not None
    for query in (["transcrib", "audio"], ["pictur", "text"], ["nois"]):
        assert stored.search(query) == built.search(query)
    assert ToolIndex.from_data(built.to_data(), {"other": registry.get("summarize_text").card}) is None


@pytest.mark.usefixtures("encoder_installed")
def test_meaning_finds_a_tool_no_word_of_the_request_names(monkeypatch: pytest.MonkeyPatch, data_dir: Path):
    task = "Put 'Bonjour' into English"
    assert _steps(task) == ["translate_text"]
    assert list(data_dir.glob("vectors-*")), "the tools' vectors are kept for the next process"
    monkeypatch.setenv("ORCHESTRA_SEMANTIC", "0")
    assert _steps(task) == ["(missing)"]


def test_a_step_nobody_named_is_added_by_data_type():
    # text_to_image takes text; a recording is speech: the catalogue's speech-to-text goes first.
    assert _steps("Make a picture of what is said in talk.wav") == ["transcribe_audio", "text_to_image"]


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, data_dir: Path):
    monkeypatch.setenv("ORCHESTRA_PLANNING_CACHE", "0")
    load_tool_file(MEDIA)
    assert not data_dir.exists() and disk_cache.load("tools", "anything") is None


def test_the_planning_cache_lives_under_the_data_dir_as_the_settings_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # read raw, " ~/data " was a folder named " ~" under the working directory, apart from the rest of the data
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", " ~/data ")
    assert disk_cache.folder() == tmp_path / "data" / "cache" / "planning"


def test_a_data_dir_setting_that_is_refused_leaves_planning_without_a_cache_not_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the CLI and the worker refuse it by name at start; the Python API still loads tools without a cache
    occupied = tmp_path / "a-file"
    occupied.write_text("")
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(occupied))
    assert load_tool_file(MEDIA)
