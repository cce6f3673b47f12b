"""``python -m aggregator.feeds.counts OUTPUT_DIR``: where the feeds are, and their record
counts."""

from __future__ import annotations

import sys
from pathlib import Path

FEED_NAMES = ("articles.jsonl", "teasers.jsonl")


def summarize(output_dir: Path) -> list[str]:
    lines = []
    for name in FEED_NAMES:
        path = output_dir / name
        if path.exists():
            with path.open(encoding="utf-8") as feed:
                count = sum(1 for line in feed if line.strip())
            lines.append(f"{path.resolve()}: {count} records")
        else:
            lines.append(f"{path.resolve()}: missing")
    return lines


def main(argv: list[str]) -> int:
    output_dir = Path(argv[1] if len(argv) > 1 else "output")
    for line in summarize(output_dir):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
