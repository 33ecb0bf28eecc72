"""A step's input refers to the field of an earlier step's output that holds the kind of data it takes:
a picture or a sound from a described HTTP tool is not the response's text. The catalogue and the
services are written for these tests; the run is real (Temporal dev server, HTTP on loopback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.plan import Plan, PlanNode
from orchestra.planning.pipeline import plan_task
from orchestra.record import ExecutionRecord
from orchestra.registry import ToolRegistry, default_registry
from tests.helpers import http_server, json_body, start_plan, worker_for

STUDIO = """
version: 1
tools:
  - {name: speak_text, kind: http, description: Synthesize natural sounding speech from written words., input_types: [text], output_types: [audio], method: POST, url: "BASE/tts", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: clean_recording, kind: http, description: Remove background noise from a recording., input_types: [audio], output_types: [audio], method: POST, url: "BASE/denoise", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: paint_with_title, kind: http, description: Paint a picture from a text prompt and write a caption for it., input_types: [text], output_types: [text, image], method: POST, url: "BASE/paint", json: {text: "{{ text }}"}, inputs: {text: {type: string}}, outputs: {caption: {type: string}, picture: {type: string}}}
  - {name: transcribe_speech, kind: http, description: Turn the speech in a recording into written words., input_types: [audio], output_types: [text], method: POST, url: "BASE/asr", json: {audio: "{{ audio }}"}, inputs: {audio: {type: string}}}
  - {name: answer_from_text, kind: http, description: Answer a question from a given context text., input_types: [text, text], output_types: [text], method: POST, url: "BASE/qa", json: {q: "{{ q }}", context: "{{ context }}"}, inputs: {q: {type: string}, context: {type: string}}}
  - {name: describe_picture, kind: http, description: Write one sentence saying what a picture shows., input_types: [image], output_types: [text], method: POST, url: "BASE/caption", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


def _registry(tmp_path: Path, base: str) -> ToolRegistry:
    tools = tmp_path / "studio.yaml"
    tools.write_text(STUDIO.replace("BASE", base))
    return default_registry([tools])


async def _plan(registry: ToolRegistry, task: str) -> Plan:
    result = await plan_task(task, registry)
    assert result.execution.plan is not None
    return result.execution.plan


def _by_tool(plan: Plan) -> dict[str, PlanNode]:
    return {node.tool: node for node in plan.nodes}


@pytest.mark.parametrize(
    "answer",
    [
        json_body({"audio": "clips/good-morning.wav", "seconds": 1.4}),  # a field named after the kind
        (200, {"Content-Type": "text/plain"}, b"clips/good-morning.wav"),  # the body is the clip's name
    ],
    ids=["json", "text"],
)
async def test_a_sound_made_by_a_service_reaches_the_next_step_as_the_sound(
    client: Client, task_queue: str, tmp_path: Path, answer: tuple[int, dict[str, str], bytes]
) -> None:
    # The speech service names the clip it made; the denoiser must get that clip, not the whole
    # answer as text.
    received: list[Any] = []

    def services(request: Any) -> tuple[int, dict[str, str], bytes]:
        body = json.loads(request.rfile.read(int(request.headers["Content-Length"])))
        if request.path == "/tts":
            return answer
        received.append(body["audio"])
        return json_body({"audio": "clips/good-morning.clean.wav"})

    with http_server(services) as base:
        registry = _registry(tmp_path, base)
        plan = await _plan(
            registry, "Synthesize speech from the words 'good morning', then remove the background noise from it"
        )
        assert [n.tool for n in plan.nodes] == ["speak_text", "clean_recording"]
        async with worker_for(client, task_queue, tmp_path, registry):
            handle = await start_plan(client, task_queue, plan.model_dump(mode="json"))
            record = ExecutionRecord.model_validate(await handle.result())
    assert record.success
    assert received == ["clips/good-morning.wav"]


async def test_a_declared_output_that_names_the_kind_feeds_an_input_of_that_kind(tmp_path: Path) -> None:
    # The painter declares its caption (text) first, then the picture: the captioner takes the picture.
    plan = await _plan(
        _registry(tmp_path, "https://s.example.com"),
        "Paint a picture of a red fox, then write one sentence saying what it shows",
    )
    painted, caption = _by_tool(plan)["paint_with_title"], _by_tool(plan)["describe_picture"]
    assert caption.args == {"image": f"${{{painted.id}.output.json.picture}}"}


async def test_the_question_asked_goes_to_the_input_for_a_question(tmp_path: Path) -> None:
    # Both inputs take text: the quoted question is the "q", the transcript the context, whichever
    # comes first in the tool's declaration.
    plan = await _plan(
        _registry(tmp_path, "https://s.example.com"),
        "Turn the speech in talk.wav into written words, then answer the question 'Who is speaking?' about it",
    )
    heard, answered = _by_tool(plan)["transcribe_speech"], _by_tool(plan)["answer_from_text"]
    assert answered.args == {"q": "Who is speaking?", "context": f"${{{heard.id}.output.text}}"}
