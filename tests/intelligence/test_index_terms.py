"""The index's terms of a text are worked out once per distinct text while it is built (a registry
repeats its parameter and type texts thousands of times): a tool's terms are what its own card says,
whatever came before it."""

from __future__ import annotations

from orchestra.selection.index import ToolIndex, document_terms
from orchestra.tool_spec import ParamCard, ToolCard

SHARED = (ParamCard("api_key", "The key of your account"), ParamCard("limit", "How many results at most"))


def test_tools_sharing_parameter_texts_are_indexed_as_each_alone():
    cards = [
        ToolCard(name="geocode_city", description="Find where a city is.", input_types=("text",), inputs=SHARED),
        ToolCard(name="weather_now", description="Tell the weather at a place.", input_types=("text",), inputs=SHARED),
        ToolCard(name="convert_money", description="Convert an amount between currencies.", inputs=SHARED[:1]),
    ]
    index = ToolIndex.build(cards)
    memo: dict[str, list[str]] = {}
    for card in cards:
        assert document_terms(card, memo) == document_terms(card)
    assert index.docs[2].length == sum(document_terms(cards[2]).values())
    assert {h.tool for h in index.search(["limit"], limit=5)} == {"geocode_city", "weather_now"}
