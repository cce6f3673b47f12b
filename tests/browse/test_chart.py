"""The run history's charts (aggregator/browse/chart.py): one bar a run in run order, its
height the run's figure; losses stacked a reason a part, one colour a reason."""

from __future__ import annotations

import pytest

from aggregator.browse.chart import articles_chart, losses_chart


def test_one_bar_a_run_its_height_its_articles() -> None:
    chart = articles_chart([("r1", 45), ("r2", 0), ("r3", 15)])
    assert [bar.run_id for bar in chart.bars] == ["r1", "r2", "r3"]
    assert chart.top_value == 45
    heights = [bar.height for bar in chart.bars]
    assert heights[1] == 0 and heights[0] == pytest.approx(3 * heights[2])
    assert all(bar.y + bar.height == pytest.approx(chart.base) for bar in chart.bars)
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs) and xs[-1] + chart.bars[-1].width <= chart.width


def test_losses_stack_by_reason() -> None:
    losses = [("r1", "story timeout", 2), ("r1", "page http_500", 6), ("r2", "story timeout", 1)]
    chart = losses_chart(["r1", "r2", "r3"], losses)
    assert [(bar.run_id, bar.reason, bar.value) for bar in chart.bars] == losses
    assert chart.top_value == 8
    first, second, _ = chart.bars
    assert first.y == pytest.approx(second.y + second.height)  # stacked, no gap
    assert second.y == pytest.approx(chart.top)  # the highest stack reaches the top
    assert [reason for reason, _ in chart.legend] == ["story timeout", "page http_500"]
    assert chart.bars[0].colour == chart.bars[2].colour != chart.bars[1].colour


def test_no_runs_no_bars() -> None:
    assert articles_chart([]).bars == [] and losses_chart([], []).bars == []
