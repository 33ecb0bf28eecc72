"""Words and meaning rank together: in a catalogue embedded whole, the sentence encoder ranks every
sub-goal beside BM25, and BM25's share counts as much as the words explain of the sub-goal. A stray
word ("lines" in "a poem of four lines", which a text-extracting tool's description holds) no
longer outweighs what the request means."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from orchestra.selection import semantic
from orchestra.selection.index import ToolIndex
from orchestra.tool_spec import ToolCard

# Twelve writing, speech and picture tools: with the built-ins, a catalogue the encoder serves (MIN_TOOLS).
CATALOGUE = """\
version: 1
tools:
  - {name: tag_words, kind: http, description: "Label the words of a text: which are names of people, places and dates, and which are verbs, nouns or adjectives.", input_types: [text], output_types: [text], method: POST, url: "https://w.example.com/tag", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: write_text, kind: http, description: "Produce new text from a prompt: continue a passage, fill in gaps or reword it.", input_types: [text], output_types: [text], method: POST, url: "https://w.example.com/gen", json: {prompt: "{{ prompt }}"}, inputs: {prompt: {type: string}}}
  - {name: shorten_text, kind: http, description: "Make a shorter version of a document that keeps what matters.", input_types: [text], output_types: [text], method: POST, url: "https://w.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: translate_text, kind: http, description: "Turn text in one language into another language.", input_types: [text], output_types: [text], method: POST, url: "https://w.example.com/tr", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: chat_reply, kind: http, description: "Answer a message as a friendly chatbot would, keeping the conversation going.", input_types: [text], output_types: [text], method: POST, url: "https://w.example.com/chat", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: speak_text, kind: http, description: "Synthesize natural sounding speech from text.", input_types: [text], output_types: [audio], method: POST, url: "https://w.example.com/tts", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: transcribe_audio, kind: http, description: "Turn the speech in an audio recording into written text.", input_types: [audio], output_types: [text], method: POST, url: "https://w.example.com/asr", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: caption_image, kind: http, description: "Describe in a sentence what a picture shows.", input_types: [image], output_types: [text], method: POST, url: "https://w.example.com/cap", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: detect_objects, kind: http, description: "Find the objects in an image and draw labelled boxes around them.", input_types: [image], output_types: [text], method: POST, url: "https://w.example.com/od", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: read_table_image, kind: http, description: "Classify the rows of a table photographed or scanned as an image.", input_types: [image], output_types: [text], method: POST, url: "https://w.example.com/tab", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: edit_picture, kind: http, description: "Change parts of an image, such as a colour or the background, as a text instruction says.", input_types: [image, text], output_types: [image], method: POST, url: "https://w.example.com/edit", json: {image: "{{ image }}", instruction: "{{ instruction }}"}, inputs: {image: {type: string}, instruction: {type: string}}}
  - {name: text_to_picture, kind: http, description: "Generate an image from a text prompt.", input_types: [text], output_types: [image], method: POST, url: "https://w.example.com/t2i", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""

needs_encoder = pytest.mark.usefixtures("encoder_installed")


@needs_encoder
@pytest.mark.parametrize(
    "task",
    [
        "Compose a short poem of four lines about the sea.",
        "Come up with a limerick of five lines about a cat.",
        "Spin a tale about a dragon in ten lines.",
        "Write a toast for my sister's wedding in a few lines.",
        "Draft a story opening of two paragraphs about a lost key.",
    ],
)
def test_a_stray_word_does_not_outweigh_what_the_request_means(tmp_path: Path, task: str):
    tools = tmp_path / "writing.yaml"
    tools.write_text(CATALOGUE)
    registry = default_registry([tools])
    assert registry.index().embeds_all()
    steps = analyse_heuristic(task, registry).steps
    assert [s.candidates[0] for s in steps] == ["write_text"], task


def test_registries_too_small_or_too_big_to_embed_whole_keep_meaning_for_poorly_served_sub_goals(tmp_path: Path):
    def index_of(size: int) -> ToolIndex:
        return ToolIndex.build(ToolCard(name=f"tool_{n}", description=f"Does thing {n}.") for n in range(size))

    assert not index_of(semantic.MIN_TOOLS - 1).embeds_all()  # the built-ins: numpy is never imported
    assert index_of(semantic.MIN_TOOLS).embeds_all()
    assert not index_of(semantic.EMBED_ALL + 1).embeds_all()  # 10,000 tools: the words decide when they serve
