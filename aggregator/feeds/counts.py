"""``python -m aggregator.feeds.counts OUTPUT_DIR``: where the feeds are, and their record
counts."""

from __future__ import annotations

import sys
from pathlib import Path

from aggregator.feeds.names import DEFAULT_OUTPUT_DIR, FEED_NAMES


def summarize(output_dir: Path) -> list[str]:
    lines = []
    for name in FEED_NAMES.values():
        path = output_dir / name
        if path.exists():
            with path.open(encoding="utf-8") as feed:
                count = sum(1 for line in feed if line.strip())
            lines.append(f"{path.resolve()}: {count} records")
        else:
            lines.append(f"{path.resolve()}: missing")
    return lines


def main(argv: list[str]) -> int:
    output_dir = Path(argv[1] if len(argv) > 1 else DEFAULT_OUTPUT_DIR)
    for line in summarize(output_dir):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
