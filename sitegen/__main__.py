"""``python -m sitegen [OUTPUT_DIR]``: write the mirror (default: the repository's samples/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.generate import write

DEFAULT = Path(__file__).resolve().parents[1] / "samples"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen", description=__doc__)
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT, help=f"default: {DEFAULT}")
    args = parser.parse_args(argv)
    count = write(args.output)
    print(f"wrote {count} files under {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
