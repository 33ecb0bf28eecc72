"""Preferences are checked when set after construction too: a Python caller could set a weight of -1,
inf or nan on a built Preferences, and every tool then scored nan or the ranking turned over."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from orchestra.selection.models import Preferences


@pytest.mark.parametrize(("field", "value"), [("performance", -1.0), ("cost", math.inf), ("reliability", math.nan),
                                              ("max_parallel", 0), ("time_budget_s", 0.0), ("max_cost", -5.0)])  # fmt: skip
def test_a_bad_value_set_after_construction_is_refused(field, value):
    preferences = Preferences()
    with pytest.raises(ValidationError):
        setattr(preferences, field, value)
    assert getattr(preferences, field) == getattr(Preferences(), field)


def test_a_good_value_set_after_construction_is_taken():
    preferences = Preferences()
    preferences.performance = 2.0
    assert preferences.weights()["performance"] > Preferences().weights()["performance"]
