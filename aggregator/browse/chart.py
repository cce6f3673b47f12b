"""The run history's charts as geometry for a server-side SVG (templates/runs.html): one
bar a run (articles published), one stacked bar a run (losses by reason). Drawn on the
server, so the page needs no script and no asset from anywhere but the browser's server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 20, 44
MAX_LABELS = 8  # run ids under the bars at most (every n-th run beyond)
# colours of the loss reasons, in order of first appearance (cycled beyond); Datasette's
# palette is its own
PALETTE = ("#d1495b", "#edae49", "#00798c", "#30638e", "#66a182", "#8d96a3", "#7b4b94")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    run_id: str
    value: int
    reason: str | None = None
    colour: str = "#30638e"


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)  # run ids under the bars
    top_value: int = 0  # the value at the top of the axis
    legend: list[tuple[str, str]] = field(default_factory=list)  # (reason, colour)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    base: int = HEIGHT - BOTTOM  # the y of the axis line


def _frame(run_ids: Sequence[str], top_value: int) -> tuple[Chart, float, float]:
    chart = Chart(top_value=max(top_value, 1))
    band = (WIDTH - LEFT - RIGHT) / max(len(run_ids), 1)
    step = -(-len(run_ids) // MAX_LABELS) or 1  # ceiling division
    chart.ticks = [
        Tick(LEFT + band * (i + 0.5), run_id)
        for i, run_id in enumerate(run_ids)
        if i % step == 0 or i == len(run_ids) - 1
    ]
    return chart, band, (HEIGHT - TOP - BOTTOM) / chart.top_value


def articles_chart(runs: Sequence[tuple[str, int]]) -> Chart:
    """One bar a run, ``(run id, articles)`` in run order."""
    chart, band, scale = _frame([r for r, _ in runs], max((n for _, n in runs), default=0))
    for i, (run_id, articles) in enumerate(runs):
        height = articles * scale
        chart.bars.append(
            Bar(LEFT + band * (i + 0.15), chart.base - height, band * 0.7, height, run_id, articles)
        )
    return chart


def losses_chart(run_ids: Sequence[str], losses: Sequence[tuple[str, str, int]]) -> Chart:
    """One stacked bar a run, a part a reason: ``losses`` as ``(run id, reason, count)``."""
    totals = {run_id: 0 for run_id in run_ids}
    for run_id, _, count in losses:
        totals[run_id] = totals.get(run_id, 0) + count
    chart, band, scale = _frame(list(run_ids), max(totals.values(), default=0))
    colours: dict[str, str] = {}
    for reason in (reason for _, reason, _ in losses):
        colours.setdefault(reason, PALETTE[len(colours) % len(PALETTE)])
    chart.legend = list(colours.items())
    place = {run_id: i for i, run_id in enumerate(run_ids)}
    stacked = dict.fromkeys(run_ids, 0.0)
    for run_id, reason, count in losses:
        if run_id not in place or count <= 0:
            continue
        height = count * scale
        stacked[run_id] += height
        chart.bars.append(
            Bar(
                LEFT + band * (place[run_id] + 0.15),
                chart.base - stacked[run_id],
                band * 0.7,
                height,
                run_id,
                count,
                reason,
                colours[reason],
            )
        )
    return chart
