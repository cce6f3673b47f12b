"""sitegen: the generator of the offline mirror ``samples/`` (a dev tool; the crawler never
imports it).

    python -m sitegen [OUTPUT_DIR]      # default: samples/

- ``model``: the site model (dataclasses: publications, issues, story specs and pages, cards)
  and the mirror's path rules;
- ``content``: ``data/*.toml`` read into the model (publications and issues, the interface
  wording per language, the stories);
- ``pages``: a story's page in one locale (prompt copies, headings, cards);
- ``render``: the Jinja2 environment over ``templates/`` and one render function per page;
- ``generate``: every page and MANIFEST.json, written under the output folder.

The benchmarks reuse the model and the renderer with content of their own.
"""

from sitegen.content import site, stories, wording
from sitegen.model import (
    LAYOUTS,
    SITE,
    Card,
    Issue,
    Para,
    Prompt,
    Publication,
    StoryPage,
    StorySpec,
)
from sitegen.pages import build_story_page
from sitegen.render import (
    ISSUES_PER_PAGE,
    paginate,
    render_archive,
    render_catalog,
    render_issue,
    render_publication_page,
    render_story,
)

__all__ = [
    "ISSUES_PER_PAGE",
    "LAYOUTS",
    "SITE",
    "Card",
    "Issue",
    "Para",
    "Prompt",
    "Publication",
    "StoryPage",
    "StorySpec",
    "build_story_page",
    "paginate",
    "render_archive",
    "render_catalog",
    "render_issue",
    "render_publication_page",
    "render_story",
    "site",
    "stories",
    "wording",
]
