"""Text inputs: article bodies for the prompt stripper, and a corpus dump for ``crawl dumps``.

Both come from the same story pages as the mirror (``benchmarks.mirror.plan``), so every
interface locale and prompt wording occurs. The dump records are the pages' visible text in
the shapes of ../shared/prompts-observed.md ("Shapes of a story page as text") and of
../shared/seeds/000_c93c0c6aaedbf7e3.txt: an optional header (classic or 2025), the body,
the prompt block (twice in the classic layout, once in 2025; glued to the last paragraph;
without its sign-in line in blank-line dumps; mixed languages), then the teaser cards in
the classic, blank-line or 2025 shape, sometimes as mojibake. Deterministic.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from benchmarks.mirror import plan, story_pages
from sitegen import SITE, Card, StoryPage

# Of the texts: share with a header, of blank-line dumps, glued prompts, mojibake.
HEADER_SHARE = 0.5
BLANK_LINE_SHARE = 0.3
GLUE_SHARE = 0.1
MOJIBAKE_SHARE = 0.02


def _prompt_lines(page: StoryPage, *, sign_in: bool) -> list[str]:
    lines: list[str] = []
    for prompt in (page.prompt, page.overlay_prompt):
        if prompt is not None:
            printed = prompt.text_lines()
            lines += printed if sign_in else printed[:2]
    return lines


def body_text(page: StoryPage, rng: random.Random) -> str:
    """The body as the prompt stage receives it: paragraphs then the printed prompt copies,
    one blank line between paragraphs; sometimes the prompt is glued to the last one."""
    lines = [p.text for p in page.paragraphs] + _prompt_lines(page, sign_in=True)
    if page.prompt is not None and rng.random() < GLUE_SHARE:
        at = len(page.paragraphs) - 1
        lines[at : at + 2] = [lines[at] + lines[at + 1]]
    return "\n\n".join(lines)


def _header(page: StoryPage, shape: str) -> list[str]:
    issue = page.issue
    if shape == "2025":
        return [
            page.gold_cta or "Try GOLD - Free",
            page.title,
            issue.publication.name,
            f"|{issue.label}",
            page.standfirst or page.title,
        ]
    lines = [page.title, f"{issue.publication.name}|{issue.label}"]
    lines.append(page.standfirst or page.title)
    if page.authors:
        lines.append(" and ".join(page.authors))
    return lines


def _cards(page: StoryPage, shape: str) -> list[str]:
    cards: list[Card] = page.cards
    lines: list[str] = []
    if shape != "classic" or page.view_all:
        lines.append(page.more_heading + (page.view_all or ""))
    for card in cards:
        if shape == "classic":
            lines += [card.title, card.summary]
        elif shape == "blank":
            lines += [
                card.title,
                card.publication,
                card.title,
                card.summary,
                "time-read",
                f"{card.read_minutes} mins  |",
                card.date_label,
            ]
        else:
            lines += [
                card.publication,
                card.title,
                card.summary,
                f"{card.read_minutes} mins",
                card.date_label,
            ]
    return lines


def page_text(page: StoryPage, rng: random.Random) -> str:
    """The visible text of a story page as a text extractor saved it."""
    blank = rng.random() < BLANK_LINE_SHARE
    family = "2025" if page.layout == "gold2025" else "classic"
    lines: list[str] = []
    if rng.random() < HEADER_SHARE:
        lines += _header(page, family)
    body = [p.text for p in page.paragraphs]
    prompt = _prompt_lines(page, sign_in=not blank)
    if prompt and rng.random() < GLUE_SHARE:
        body[-1] += prompt.pop(0)
    lines += body + prompt
    if page.app_cta:
        lines.append("Continue reading your story on the app")
    lines += _cards(page, "blank" if blank else family)
    text = ("\n\n" if blank else "\n").join(lines)
    if page.lang != "ar" and rng.random() < MOJIBAKE_SHARE:
        text = text.encode("utf-8").decode("cp1252", errors="replace")
    return text


def live_url(page: StoryPage) -> str:
    return f"{SITE}/{page.path.removesuffix('.html')}"


def bodies(count: int, seed: int = 1) -> list[str]:
    """``count`` article bodies (story pages of a mirror plan, every locale)."""
    rng = random.Random(seed)
    return [body_text(page, rng) for page in story_pages(plan(count, seed))]


def dump_records(count: int, seed: int = 2) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for page in story_pages(plan(count, seed)):
        yield {"url": live_url(page), "text": page_text(page, rng)}


def write_dump(path: Path, count: int, seed: int = 2) -> int:
    """Write ``count`` JSON Lines records to ``path`` (reused when already there). Bytes."""
    stamp = path.with_suffix(".count")
    key = f"{count}:{seed}:{Path(__file__).stat().st_size}"
    if path.is_file() and stamp.is_file() and stamp.read_text() == key:
        return path.stat().st_size
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in dump_records(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    stamp.write_text(key)
    return path.stat().st_size
