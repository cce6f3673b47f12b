"""A synthetic mirror of the aggregator site at any size, in the markup of ../shared/site.

The pages are rendered by the mirror's generator, ``sitegen`` (``build_story_page``,
``render_story``, ``render_issue``, ``render_archive``, ``render_catalog``); only the content
is made here: publications, issues and stories drawn deterministically from the articles of
``samples/`` (``sitegen/data/``; the same seed gives the same files). Every story layout
(classic, gold2025, reader, generic), every interface locale (en, nb, de, es, ar, fr) and the
page variants (free, price banner, app line, mixed-language prompt, orphan heading) occur. Each
story is mirrored under one locale, so that the issues spider (which does not follow the cards
of story pages) and a follow-every-link spider fetch the same pages; the teaser cards repeat on
every story page of an issue, which keeps the dedupe stage busy.

Navigation is the site's: catalog -> publication archives (three issues per page, ``rel=next``)
-> issues (``rel=prev``) -> their stories. Every teaser card points at a page of the mirror.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import sitegen
from benchmarks import chrome, languages
from benchmarks.chrome import dress
from sitegen import (
    Issue,
    Para,
    Publication,
    StoryPage,
    StorySpec,
    build_story_page,
    render_archive,
    render_catalog,
    render_issue,
    render_story,
)

LOCALES = ("en", "nb", "de", "es", "ar", "fr")
# the locales the gold2025 layout was observed in
GOLD2025_LOCALES = tuple(sorted(sitegen.wording().gold_cta))
LAYOUT_WEIGHTS = {"classic": 40, "gold2025": 30, "reader": 15, "generic": 15}
STORIES_PER_ISSUE = 8
ISSUES_PER_PUBLICATION = 24
STEP_DAYS = {"daily": 1, "weekly": 7, "fortnightly": 14}
NEWEST = date(2025, 11, 1)
_NAME_FIRST = ("Northern", "Coastal", "Urban", "Modern", "Weekend", "Metro", "Global", "Grand")
_NAME_SECOND = ("Review", "Herald", "Traveller", "Gazette", "Journal", "Living", "Post", "Digest")
_FREQUENCIES = ("daily", "weekly", "fortnightly", "monthly")
_COUNTS = (None, None, None, "9,000+", "8500", "10,000")
# Story pages of the layouts that print JSON-LD which print none here: with the generic layout
# (15%), about 30% of story pages are markup-only, where the page declares no language.
MARKUP_ONLY_SHARE = 0.18
# Bump when the content model changes: a cached mirror of another version is rebuilt.
VERSION = 2


@dataclass(frozen=True)
class Pool:
    """Article material from samples/: paragraphs, titles, summaries, standfirsts, authors."""

    paragraphs: tuple[Para, ...]
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    standfirsts: tuple[str, ...]
    authors: tuple[str, ...]


@cache
def pool() -> Pool:
    specs = sitegen.stories()
    return Pool(
        paragraphs=tuple(p for s in specs for p in s.paragraphs if len(p.text) > 40),
        titles=tuple(s.title for s in specs),
        summaries=tuple(s.summary for s in specs),
        standfirsts=tuple(s.standfirst for s in specs if s.standfirst),
        authors=tuple(sorted({a for s in specs for a in s.authors})),
    )


@dataclass
class Plan:
    """The content of a mirror: publications, their issues (oldest first), each issue's
    stories (in table-of-contents order)."""

    publications: list[Publication]
    issues: dict[str, list[Issue]]  # publication slug -> issues, oldest first
    stories: dict[str, list[StorySpec]]  # issue path -> stories
    story_pages: int


def publication(index: int) -> Publication:
    """The ``index``-th synthetic publication: the five of samples/ first, then made-up ones."""
    known = sitegen.site().publications
    if index < len(known):
        return known[index]
    k = index - len(known)
    first, second = _NAME_FIRST[k % len(_NAME_FIRST)], _NAME_SECOND[k // len(_NAME_FIRST) % 8]
    lap = k // (len(_NAME_FIRST) * len(_NAME_SECOND))
    name = f"{first} {second}" + (f" {lap + 1}" if lap else "")
    slug = name.replace(" ", "-")
    category = ("Lifestyle", "News", "Travel", "Business", "Fashion")[k % 5]
    return Publication(
        name=name,
        slug=slug,
        publisher=f"{first} Media Group",
        publisher_slug=f"{first}-Media-Group",
        country=("GB", "IN")[k % 2],
        category=category,
        frequency=_FREQUENCIES[k % len(_FREQUENCIES)],
    )


def issue_date(pub: Publication, age: int) -> date:
    """The date of the issue ``age`` issues before the newest."""
    if pub.monthly:
        months = NEWEST.year * 12 + NEWEST.month - 1 - age
        return date(months // 12, months % 12 + 1, 1)
    return NEWEST - timedelta(days=STEP_DAYS[pub.frequency] * age)


def _story(rng: random.Random, number: int, issue: Issue) -> StorySpec:
    material = pool()
    layout = rng.choices(list(LAYOUT_WEIGHTS), weights=list(LAYOUT_WEIGHTS.values()))[0]
    choices = GOLD2025_LOCALES if layout == "gold2025" else LOCALES
    locales = [rng.choice(choices)]
    if layout == "gold2025":
        wording = "2025"
    elif layout == "classic":
        wording = "classic"
    else:
        wording = rng.choice(("classic", "2025"))
    variants = []
    roll = rng.random()
    if roll < 0.05:
        variants.append("free")
    elif roll < 0.08 and layout in ("classic", "gold2025"):
        variants.append("price-banner")
    elif roll < 0.10 and layout in ("classic", "gold2025"):
        variants.append("app-cta")
    elif roll < 0.16 and "en" not in locales and "fr" not in locales:
        variants.append("mixed-prompt")
    language = article_language(f"s{number}")
    count = rng.randint(4, 9)
    if language == "en":
        paragraphs = rng.sample(material.paragraphs, count)
    else:
        paragraphs = [Para.plain(languages.paragraph(rng, language)) for _ in range(count)]
    if rng.random() < 0.03:
        variants.append("vox-pop")
        paragraphs.append(Para.plain("VOX POP"))
    title = f"{material.titles[number % len(material.titles)]} ({number})"
    authors = rng.sample(material.authors, rng.choice((1, 1, 1, 2)))
    return StorySpec(
        key=f"s{number}",
        issue=issue,
        title=title,
        summary=rng.choice(material.summaries),
        read_minutes=rng.randint(2, 9),
        category=issue.publication.category.lower(),
        link_locale=locales[0],
        standfirst=rng.choice(material.standfirsts) if rng.random() < 0.9 else None,
        authors=authors,
        layout=layout,
        wording=wording,
        locales=locales,
        variants=variants,
        count=rng.choice(_COUNTS),
        paragraphs=paragraphs,
    )


def article_language(key: str) -> str:
    """The language of a story's article text (by its key: the same story, the same text)."""
    return languages.pick_language(random.Random(f"language:{key}"))


def markup_only(spec: StorySpec) -> bool:
    """Whether the story's page prints no JSON-LD (generic pages never do)."""
    return spec.layout == "generic" or (
        random.Random(f"markup:{spec.key}").random() < MARKUP_ONLY_SHARE
    )


def plan(story_pages: int, seed: int = 0) -> Plan:
    """Publications, issues and stories holding exactly ``story_pages`` story pages."""
    rng = random.Random(seed)
    publications: list[Publication] = []
    issues: dict[str, list[Issue]] = {}
    stories: dict[str, list[StorySpec]] = {}
    pages = number = 0
    issue_number = 0
    while pages < story_pages:
        pub = publication(len(publications))
        publications.append(pub)
        newest_first: list[Issue] = []
        for age in range(ISSUES_PER_PUBLICATION):
            if pages >= story_pages:
                break
            issue = Issue(pub, str(2_000_000 + issue_number), issue_date(pub, age))
            issue_number += 1
            newest_first.append(issue)
            specs = []
            for _ in range(STORIES_PER_ISSUE):
                if pages >= story_pages:
                    break
                spec = _story(rng, number, issue)
                number += 1
                pages += len(spec.locales)
                specs.append(spec)
            stories[issue.path] = specs
        issues[pub.slug] = newest_first[::-1]
    return Plan(publications, issues, stories, pages)


def story_pages(content: Plan) -> list[StoryPage]:
    """Every story page of the plan, as ``sitegen`` models it."""
    return [
        build_story_page(spec, locale, specs)
        for specs in content.stories.values()
        for spec in specs
        for locale in spec.locales
    ]


_JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>\n?', re.S)
_DECLARED_EN = '"inLanguage": "en"'


def story_html(page: StoryPage, language: str, markup_only: bool) -> str:
    """The page as ``sitegen`` renders it, its JSON-LD declaring the article's ``language``
    (``sitegen`` always says ``en``), or without JSON-LD when ``markup_only``."""
    html = render_story(page)
    if markup_only:
        return _JSON_LD.sub("", html, count=1)
    return html.replace(_DECLARED_EN, f'"inLanguage": "{language}"', 1)


def render(content: Plan, with_chrome: bool = False) -> dict[str, str]:
    """Every file of the mirror: path from the root -> HTML; ``with_chrome``: each page in
    site chrome of real weight (``benchmarks.chrome``)."""
    files: dict[str, str] = {}
    for specs in content.stories.values():
        for spec in specs:
            for locale in spec.locales:
                page = build_story_page(spec, locale, specs)
                html = story_html(page, article_language(spec.key), markup_only(spec))
                files[page.path] = dress(html, locale) if with_chrome else html
    for pub in content.publications:
        oldest_first = content.issues[pub.slug]
        for n, issue in enumerate(oldest_first):
            siblings = content.stories[issue.path]
            cards = [s.card(s.link_locale) for s in siblings]
            files[issue.path] = render_issue(issue, cards, oldest_first[n - 1] if n else None)
        files.update(render_archive(pub, oldest_first[::-1]))
    files["index.html"] = render_catalog(content.publications)
    if with_chrome:
        for path, html in files.items():
            if "/stories/" not in path:
                files[path] = dress(html, "en")
    return files


@dataclass(frozen=True)
class Mirror:
    root: Path
    story_pages: int
    pages: int  # every HTML page: stories, issues, archive pages, the catalog
    issues: int
    publications: int
    bytes: int
    story_bytes: int  # of the story pages alone

    @property
    def index(self) -> Path:
        return self.root / "index.html"


def _fingerprint(story_pages: int, seed: int, with_chrome: bool) -> str:
    """Changes when the generator (its code, templates or data) or this module changes."""
    digest = hashlib.sha256(f"{VERSION}:{story_pages}:{seed}:{with_chrome}".encode())
    package = Path(sitegen.__file__).parent
    sources = [p for p in sorted(package.rglob("*")) if p.is_file() and p.suffix != ".pyc"]
    for source in sources:
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    for module in (__file__, languages.__file__, chrome.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def write_mirror(
    root: Path, story_pages: int, seed: int = 0, *, with_chrome: bool = False
) -> Mirror:
    """Write the mirror under ``root`` (wiped first), or reuse the one already there when it
    was made by the same generator with the same arguments. ``with_chrome``: every page in
    about 150 kB of site chrome (``benchmarks.chrome``), as on the real site."""
    stamp = root / "MIRROR.json"
    fingerprint = _fingerprint(story_pages, seed, with_chrome)
    if stamp.is_file():
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            return Mirror(root, **data["mirror"])
    if root.exists():
        shutil.rmtree(root)
    content = plan(story_pages, seed)
    files = render(content, with_chrome)
    size = story_size = 0
    folders: set[Path] = set()
    for relative, text in files.items():
        target = root / relative
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        data_bytes = text.encode("utf-8")
        target.write_bytes(data_bytes)
        size += len(data_bytes)
        if "/stories/" in relative:
            story_size += len(data_bytes)
    info = {
        "story_pages": content.story_pages,
        "pages": len(files),
        "issues": sum(len(v) for v in content.issues.values()),
        "publications": len(content.publications),
        "bytes": size,
        "story_bytes": story_size,
    }
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "mirror": info}), encoding="utf-8")
    return Mirror(root, **info)
