"""Golden files: what each page class extracts from every page of samples/ and ../shared/site.

    python -m tests.golden            # print what differs from tests/expected/ (or all output)
    python -m tests.golden --write    # rewrite tests/expected/ (review the diff before committing)

Pages are read under a fixed URL (``file:///mirror/<path>``) so the expected files do not
depend on where the checkout lives.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse

from aggregator.pages import (
    CatalogPage,
    IssuePage,
    PageType,
    PublicationPage,
    StoryPage,
    detect_page_type,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED_SITE = ROOT.parent / "shared" / "site"
MIRRORS = {"samples": ROOT / "samples", "site": SHARED_SITE}
EXPECTED = Path(__file__).resolve().parent / "expected"
BASE = "file:///mirror/"
CRAWLED_AT = "2000-01-01T00:00:00+00:00"


def pages() -> Iterator[tuple[str, Path, str]]:
    """(mirror name, file, path inside the mirror) for every HTML page of every mirror."""
    for name, root in MIRRORS.items():
        for path in sorted(root.rglob("*.html")):
            yield name, path, path.relative_to(root).as_posix()


def response_for(path: Path, relative: str) -> HtmlResponse:
    return HtmlResponse(url=BASE + relative, body=path.read_bytes(), encoding="utf-8")


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


def extract(response: HtmlResponse) -> dict[str, Any]:
    page_type = detect_page_type(response)
    result: dict[str, Any] = {"page_type": page_type.value if page_type else None}
    if page_type is PageType.CATALOG:
        result["publication_urls"] = CatalogPage(response).publication_urls()
    elif page_type is PageType.PUBLICATION:
        publication = PublicationPage(response)
        result["name"] = publication.name
        result["issue_links"] = [_plain(link) for link in publication.issue_links()]
        result["next_page_url"] = publication.next_page_url()
    elif page_type is PageType.ISSUE:
        issue = IssuePage(response)
        result["info"] = _plain(issue.info())
        result["story_urls"] = issue.story_urls()
        result["previous_issue_url"] = issue.previous_issue_url()
        result["teasers"] = [_plain(t) for t in issue.teasers()]
    elif page_type is PageType.STORY:
        story = StoryPage(response)
        result["path"] = story.path
        result["layout"] = story.layout.name if story.layout else None
        article = _plain(story.article(CRAWLED_AT))
        article["body"] = article["body"].split("\n\n")
        result["article"] = article
        result["teasers"] = [_plain(t) for t in story.teasers()]
    return result


def expected_path(mirror: str, relative: str) -> Path:
    return EXPECTED / mirror / (relative.removesuffix(".html") + ".json")


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite tests/expected/")
    args = parser.parse_args(argv)
    changed = 0
    for mirror, path, relative in pages():
        text = render(extract(response_for(path, relative)))
        target = expected_path(mirror, relative)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        changed += 1
        if args.write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
        else:
            print(f"--- {target.relative_to(ROOT)} (differs or missing)\n{text}")
    print(f"{changed} golden file(s) {'written' if args.write else 'differ'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
