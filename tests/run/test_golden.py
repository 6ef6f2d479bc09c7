"""The shipped scenarios give the committed numbers. A failure here means a change moved
the model's outputs: if that was meant, run scripts/update_golden.py and add a line to
CHANGELOG.md under "Changes to outputs"; if not, it is a bug."""

from __future__ import annotations

import json

import pytest

from tests.run.golden import GOLDEN_FILE, golden_summary

pytestmark = pytest.mark.golden


def test_outputs_match_the_golden_baseline():
    expected = json.loads(GOLDEN_FILE.read_text())
    found = golden_summary()
    assert found.keys() == expected.keys()
    moved = [
        f"{scenario} {key}: {expected[scenario][key]} -> {found[scenario].get(key)}"
        for scenario in expected
        for key in expected[scenario]
        if found[scenario].get(key) != pytest.approx(expected[scenario][key], rel=1e-7, abs=1e-9)
    ]
    assert not moved, "outputs moved (update deliberately):\n" + "\n".join(moved[:20])
