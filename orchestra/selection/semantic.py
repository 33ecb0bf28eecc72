"""Meaning as well as words: static sentence embeddings for sub-goals and tool descriptions.

BM25 finds a tool only through words it shares with the request; "condense it" shares none with
"Summarization is the task of producing a shorter version of a document". WordLlama's token
embeddings (a 32,000 x 256 matrix distilled from a large language model, shipped inside its PyPI
wheel) put such paraphrases near each other: a text's vector is the mean of its tokens' vectors,
so embedding costs a tokenizer call and a table look-up, no neural network and no download.

Only the wheel's files are read (the tokenizer JSON and the safetensors weights): importing
``wordllama`` itself would configure logging and load compiled helpers nobody here uses. When the
package is missing or ``ORCHESTRA_SEMANTIC=0``, ``embedder()`` is None and planning uses words alone.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any

MODEL = "wordllama-l2_supercat_256"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_WEIGHTS = "weights/l2_supercat_256.safetensors"
# Below this many tools (the built-ins alone), words tell tools apart and loading the model would
# cost more than the plan: the embeddings serve catalogues.
MIN_TOOLS = 20
MAX_TOKENS = 96  # a tool's name and the start of its description say what it does; the rest dilutes it


class Embedder:
    """Texts -> unit vectors (mean of the tokens' vectors)."""

    def __init__(self, root: Path) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._np = np
        self._tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._vectors = load_file(str(root / _WEIGHTS))["embedding.weight"]  # float16, cast per row on use
        self.dim = int(self._vectors.shape[1])

    def embed(self, texts: list[str]) -> Matrix:
        np = self._np
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids = encoding.ids
            if ids:
                out[row] = self._vectors[ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: Matrix = out / norms
        return result


def _package_root() -> Path | None:
    spec = importlib.util.find_spec("wordllama")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    return root if (root / _TOKENIZER).is_file() and (root / _WEIGHTS).is_file() else None


def enabled() -> bool:
    return os.environ.get("ORCHESTRA_SEMANTIC", "1").strip().lower() not in ("0", "false", "no", "off")


@cache
def _load() -> Embedder | None:
    root = _package_root()
    if root is None:
        return None
    try:
        return Embedder(root)
    except (ImportError, OSError, KeyError, ValueError):
        return None


def embedder() -> Embedder | None:
    """The shared embedder, loaded on first use; None when unavailable or turned off."""
    return _load() if enabled() else None
