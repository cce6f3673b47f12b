"""The data files of ``sitegen/data/`` read into the model: publications and their issues
(``site.toml``), the interface wording (``wording.toml``), the stories (``stories.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from sitegen.model import LAYOUTS, Issue, Para, PromptWording, Publication, StorySpec

DATA = Path(__file__).resolve().parent / "data"
STORY_KEYS = {
    "issue",
    "title",
    "standfirst",
    "summary",
    "authors",
    "read",
    "category",
    "layout",
    "wording",
    "locales",
    "missing",
    "variants",
    "count",
    "body",
}


@dataclass(frozen=True)
class Site:
    publications: tuple[Publication, ...]  # catalog order
    issues: dict[str, Issue]  # issue key -> issue; oldest first within a publication
    story_categories: dict[str, str]  # publication slug -> its stories' default category


@dataclass(frozen=True)
class MoreStories:
    """The "More stories" heading: ``heading`` with ``{pub}`` (upper-cased when ``upper``),
    and the "View All" link text (None: no link)."""

    heading: str
    upper: bool
    view_all: str | None


@dataclass(frozen=True)
class PriceBanner:
    head: str
    offer: str
    was: str
    now: str


@dataclass(frozen=True)
class Wording:
    prompts: dict[tuple[str, str], PromptWording]  # (locale, "classic" | "2025")
    gold_cta: dict[str, str]  # locale -> the 2025 layout's first line
    more_stories: dict[tuple[str, str], MoreStories]  # (locale, "classic" | "2025")
    price_banner: PriceBanner
    app_cta: str


def load(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def site() -> Site:
    publications = []
    issues: dict[str, Issue] = {}
    categories: dict[str, str] = {}
    for entry in load("site.toml")["publication"]:
        fields = {k: v for k, v in entry.items() if k not in ("issues", "story_category")}
        pub = Publication(**fields)
        publications.append(pub)
        categories[pub.slug] = entry["story_category"]
        for key, issue in entry["issues"].items():
            issues[key] = Issue(pub, issue["id"], issue["date"])
    return Site(tuple(publications), issues, categories)


def _prompts(table: dict[str, dict[str, dict[str, str]]]) -> dict[tuple[str, str], PromptWording]:
    """``like = "locale.wording"`` starts from that entry (defined earlier in the file)."""
    done: dict[tuple[str, str], PromptWording] = {}
    for locale, wordings in table.items():
        for wording, entry in wordings.items():
            fields = dict(entry)
            like = fields.pop("like", None)
            if like is None:
                done[(locale, wording)] = PromptWording(**fields)
            else:
                like_locale, _, like_wording = like.partition(".")
                done[(locale, wording)] = replace(done[(like_locale, like_wording)], **fields)
    return done


@cache
def wording() -> Wording:
    data = load("wording.toml")
    return Wording(
        prompts=_prompts(data["prompt"]),
        gold_cta=dict(data["gold_cta"]),
        more_stories={
            (locale, family): MoreStories(e["heading"], e["upper"], e.get("view_all"))
            for locale, families in data["more_stories"].items()
            for family, e in families.items()
        },
        price_banner=PriceBanner(**data["price_banner"]),
        app_cta=data["app_cta"]["text"],
    )


def paragraphs(body: str) -> list[Para]:
    """Paragraphs are separated by blank lines; the lines of a paragraph are joined with one
    space; a paragraph starting "html: " is raw HTML."""
    paras = []
    for chunk in re.split(r"\n\s*\n", body):
        joined = " ".join(part.strip() for part in chunk.split("\n") if part.strip())
        if joined.startswith("html: "):
            paras.append(Para.markup(joined.removeprefix("html: ")))
        elif joined:
            paras.append(Para.plain(joined))
    return paras


def stories(where: Site | None = None) -> list[StorySpec]:
    """The stories of ``stories.toml``, in its order (the issue pages' card order)."""
    where = where or site()
    specs = []
    for key, entry in load("stories.toml").items():
        unknown = set(entry) - STORY_KEYS
        if unknown:
            raise ValueError(f"{key}: unknown fields {sorted(unknown)}")
        issue = where.issues[entry["issue"]]
        locales = list(entry.get("locales", []))
        layout = entry.get("layout", "classic")
        spec = StorySpec(
            key=key,
            issue=issue,
            title=entry["title"],
            summary=entry.get("summary") or entry["standfirst"],
            read_minutes=entry["read"],
            category=entry.get("category") or where.story_categories[issue.publication.slug],
            link_locale=entry.get("missing") or (locales[0] if locales else "en"),
            standfirst=entry.get("standfirst"),
            authors=list(entry.get("authors", [])),
            layout=layout,
            wording=entry.get("wording") or ("2025" if layout == "gold2025" else "classic"),
            locales=locales,
            variants=list(entry.get("variants", [])),
            count=entry.get("count"),
            paragraphs=paragraphs(entry.get("body", "")),
        )
        if spec.layout not in LAYOUTS:
            raise ValueError(f"{key}: unknown layout {spec.layout}")
        if locales and not spec.paragraphs:
            raise ValueError(f"{key}: a mirrored story needs a body")
        specs.append(spec)
    return specs
