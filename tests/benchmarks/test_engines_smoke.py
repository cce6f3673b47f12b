"""``python -m benchmarks.engines`` runs: every engine it knows is timed or said missing."""

from __future__ import annotations

import pytest

from benchmarks import engines


def test_the_engine_comparison_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert engines.main(["12"]) == 0
    out = capsys.readouterr().out
    for name in ("re (standard library)", "hyperscan", "ahocorasick_rs", "re2 (google-re2)"):
        assert name in out
    assert out.count("µs a text") >= 2  # the standard library, and clean on the Python path
