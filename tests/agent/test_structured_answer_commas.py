"""A structured answer (a plan, an analysis) is bounded in JSON values as a reply's body is, by one count: its
commas outside strings. Its commas inside strings counted too, so a long text answer of many commas was
refused as a flood ("more than 100,000 JSON values") and re-asked until the model was given up on."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from orchestra.llm.client import MAX_ANSWER_VALUES, ChatClient
from orchestra.llm.config import LLMConfig
from orchestra.llm.errors import LLMBadAnswer
from orchestra.llm.types import Message
from tests.llm_server import completion, scripted

MANY = 2 * MAX_ANSWER_VALUES


class Essay(BaseModel):
    text: str
    notes: list[str] = []


class Numbers(BaseModel):
    values: list[int]


def config(base: str) -> LLMConfig:
    return LLMConfig(base_url=base, model="scripted", api_key="sk-test", max_repairs=1, max_answer_bytes=16 << 20)


ASK = [Message(role="user", content="write")]


@pytest.mark.parametrize(
    "answer",
    [
        json.dumps({"text": "a," * MANY}),  # one long text
        json.dumps({"text": 'say "x", ' * (MANY // 2)}),  # quotes escaped among the commas
        json.dumps({"text": "t", "notes": ["a,b" * 4] * (MAX_ANSWER_VALUES // 2)}),  # few values, commas in each
        "```json\n" + json.dumps({"text": ",\n," * MANY}) + "\n```",  # fenced, line breaks escaped
    ],
    ids=["text", "escaped-quotes", "list-of-texts", "fenced"],
)
async def test_an_answer_whose_strings_hold_many_commas_is_read(answer: str) -> None:
    with scripted([completion(answer)]) as (base, seen):
        async with ChatClient(config(base)) as llm:
            essay = await llm.structured(ASK, Essay)
    assert essay == Essay.model_validate_json(answer.removeprefix("```json\n").removesuffix("\n```"))
    assert len(seen) == 1, "read at the first answer, not re-asked"


async def test_an_answer_of_too_many_values_is_still_refused_unparsed() -> None:
    flood = json.dumps({"values": [0] * MANY})
    with scripted([completion(flood)]) as (base, seen):
        async with ChatClient(config(base)) as llm:
            with pytest.raises(LLMBadAnswer, match=f"more than {MAX_ANSWER_VALUES:,} JSON values"):
                await llm.structured(ASK, Numbers)
    assert len(seen) == 2  # re-asked once (max_repairs=1)
