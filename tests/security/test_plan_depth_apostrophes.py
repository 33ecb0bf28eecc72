"""The depth bound's position counts the brackets after an apostrophe or a double quote inside a plain scalar
(attack371 F6): ``it's`` is text, and read as an opening quote it hid every bracket up to the next apostrophe, so a
plan nested too deep was refused at a column far past the bracket that went too deep."""

from __future__ import annotations

import pytest

from orchestra.documents import MAX_DEPTH, TooLarge, check_expansion


@pytest.mark.parametrize("word", ["it's", 'say"hi', "rock'n'roll"])
def test_a_quote_inside_a_plain_scalar_hides_no_bracket(word: str) -> None:
    opened = "steps: " + "[" * 10 + f"{word}, " + "[" * 40 + "a'b, "  # 51 levels open: the mapping, 50 brackets
    text = opened + "[" * 1_000
    with pytest.raises(TooLarge) as refused:
        check_expansion(text, 10**6, MAX_DEPTH)
    assert refused.value.index == len(opened) + MAX_DEPTH - 51, (refused.value.index, len(opened))


def test_a_quoted_scalar_still_hides_its_brackets() -> None:
    opened = """steps: [['[[[[', "[[", {"a":'[[[['}, """  # 3 levels open: the mapping, 2 brackets (the quoted
    # value of a JSON-like key may follow its colon at once)
    text = opened + "[" * 1_000
    with pytest.raises(TooLarge) as refused:
        check_expansion(text, 10**6, MAX_DEPTH)
    assert refused.value.index == len(opened) + MAX_DEPTH - 3, refused.value.index
