"""The whole mirror: every page and ``MANIFEST.json`` (the answer key), built from the data
files and written under an output folder. Deterministic: the same data gives the same bytes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from sitegen.content import site, stories
from sitegen.model import StoryPage, StorySpec, canonical_of_path
from sitegen.pages import build_story_page
from sitegen.render import render_archive, render_catalog, render_issue, render_story

# What the generator owns in the output folder: it deletes these before writing. Anything
# else (README.md, a stray file) is left alone.
OWNED = re.compile(r"^(index\.html|MANIFEST\.json|magazines|stories|[A-Z]{2}|[a-z]{2}(-\w+)?)$")
KEEP = {"README.md"}


def _story_entry(spec: StorySpec, page: StoryPage, locale: str) -> dict[str, object]:
    paragraphs = [p.text.replace("\xa0", " ") for p in spec.paragraphs]
    entry: dict[str, object] = {
        "path": page.path,
        "layout": page.layout,
        "locale": None if locale == "en" else locale,
        "canonical_url": page.canonical_url,
        "title": page.title,
        "standfirst": page.standfirst,
        "summary": spec.summary,
        "publication": spec.issue.publication.name,
        "issue_date": spec.issue.manifest_date,
        "issue_label": spec.issue.label,
        "issue_path": spec.issue.path,
        "issue_url": spec.issue.canonical_url,
        "category": spec.category,
        "authors": list(page.authors),
        "paragraphs": paragraphs,
        "prompt_language": page.prompt.language if page.prompt is not None else None,
        "prompt_copies": (page.prompt is not None) + (page.overlay_prompt is not None),
        "is_accessible_for_free": page.is_free,
        "is_preview": not page.is_free,
        "has_json_ld": page.layout != "generic",
        "read_time_minutes": spec.read_minutes,
        "variants": sorted(spec.variants),
        "card_canonical_urls": [canonical_of_path(c.target) for c in page.cards],
    }
    if "vox-pop" in spec.variants:
        entry["trailing_orphan_heading"] = paragraphs[-1]
    return entry


def build() -> tuple[dict[str, str], dict[str, object]]:
    """All generated pages (path -> HTML) and the manifest."""
    the_site = site()
    specs = stories(the_site)
    files: dict[str, str] = {}
    story_entries: list[dict[str, object]] = []
    issue_entries: list[dict[str, object]] = []
    publication_entries: list[dict[str, object]] = []
    by_issue: dict[str, list[StorySpec]] = {}
    for spec in specs:
        by_issue.setdefault(spec.issue.path, []).append(spec)
    for spec in specs:
        for locale in spec.locales:
            page = build_story_page(spec, locale, by_issue[spec.issue.path])
            if page.path in files:
                raise ValueError(f"two pages at {page.path}")
            files[page.path] = render_story(page)
            story_entries.append(_story_entry(spec, page, locale))
    for pub in the_site.publications:
        pub_issues = sorted(
            (i for i in the_site.issues.values() if i.publication == pub), key=lambda i: i.date
        )
        for n, issue in enumerate(pub_issues):
            previous = pub_issues[n - 1] if n else None
            siblings = by_issue.get(issue.path, [])
            cards = [s.card(s.link_locale) for s in siblings]
            files[issue.path] = render_issue(issue, cards, previous)
            issue_entries.append(
                {
                    "path": issue.path,
                    "canonical_url": issue.canonical_url,
                    "publication": pub.name,
                    "issue_id": issue.issue_id,
                    "issue_date": issue.manifest_date,
                    "issue_label": issue.label,
                    "previous_issue_path": previous.path if previous else None,
                    "card_canonical_urls": [s.canonical_url for s in siblings],
                    "cards": [
                        {
                            "position": k,
                            "href_path": card.target,
                            "canonical_url": s.canonical_url,
                            "title": s.title,
                            "summary": s.summary,
                            "read_time_minutes": s.read_minutes,
                            "in_mirror": bool(s.locales),
                        }
                        for k, (s, card) in enumerate(zip(siblings, cards, strict=True), 1)
                    ],
                }
            )
        newest_first = pub_issues[::-1]
        archive = render_archive(pub, newest_first)
        files.update(archive)
        publication_entries.append(
            {
                "name": pub.name,
                "slug": pub.slug,
                "publisher": pub.publisher,
                "frequency": pub.frequency,
                "pages": list(archive),
                "issue_paths_newest_first": [i.path for i in newest_first],
            }
        )
    files["index.html"] = render_catalog(the_site.publications)
    missing = [
        {
            "canonical_url": s.canonical_url,
            "title": s.title,
            "linked_as": s.path(s.link_locale),
            "issue_path": s.issue.path,
        }
        for s in specs
        if not s.locales
    ]
    manifest: dict[str, object] = {
        "about": "Generated by sitegen (python -m sitegen); describes every page of samples/.",
        "catalog": "index.html",
        "publications": publication_entries,
        "issues": issue_entries,
        "stories": story_entries,
        "missing_stories": missing,
    }
    return files, manifest


def write(root: Path) -> int:
    """Replace what the generator owns under ``root`` with a fresh build; the file count."""
    files, manifest = build()
    root.mkdir(parents=True, exist_ok=True)
    for entry in sorted(root.iterdir()):
        if entry.name in KEEP or not OWNED.match(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    files["MANIFEST.json"] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    for rel_path, text in sorted(files.items()):
        target = root / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return len(files)
