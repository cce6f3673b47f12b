"""The canned queries of the browser, over the index's views (aggregator/index/views.py).

``aggregator_match(:q)`` is the project's query language rendered as an FTS5 expression
(registered by aggregator/browse/plugin.py), so ``search`` finds what ``scrapy search``
finds, ranked the same way (``bm25`` with the title ``TITLE_WEIGHT`` times the body).
"""

from __future__ import annotations

from aggregator.index.sqlite import SNIPPET_TOKENS, TITLE_WEIGHT

SEARCH = f"""SELECT i.type, i.id, i.title, i.publication, i.issue_date,
    aggregator_clean(snippet(items_fts, 1, '**', '**', '…', {SNIPPET_TOKENS})) AS snippet,
    round(-bm25(items_fts, {TITLE_WEIGHT}, 1.0, 1.0), 6) AS score
FROM items_fts JOIN items i ON i.rowid = items_fts.rowid
WHERE items_fts MATCH aggregator_match(:q)
ORDER BY bm25(items_fts, {TITLE_WEIGHT}, 1.0, 1.0)
LIMIT 50"""

LATEST_ISSUES = """SELECT a.publication, a.issue_date AS latest_issue, a.issue_label,
    count(*) AS articles
FROM articles a
WHERE a.issue_date = (
    SELECT max(b.issue_date) FROM articles b WHERE b.publication IS a.publication
)
GROUP BY a.publication, a.issue_date
ORDER BY a.issue_date DESC, a.publication"""

STORIES_PER_ISSUE = """SELECT publication, issue_date,
    count(*) FILTER (WHERE type = 'article') AS articles,
    count(*) FILTER (WHERE type = 'teaser') AS teasers
FROM archive
GROUP BY publication, issue_date
ORDER BY issue_date DESC, publication"""

PREMIUM_TEASERS = """SELECT id, title, summary, publication, issue_date, canonical_url,
    source_url
FROM teasers
WHERE NOT crawled
ORDER BY publication, issue_date DESC, title"""

CHANGED_LAST_RUN = """SELECT id, title, publication, issue_date, changed_at
FROM articles
WHERE changed_at >= (SELECT max(started_at) FROM runs)
ORDER BY changed_at DESC, publication, title"""

QUERIES = {
    "search": SEARCH,
    "latest_issues": LATEST_ISSUES,
    "stories_per_issue": STORIES_PER_ISSUE,
    "premium_teasers": PREMIUM_TEASERS,
    "changed_last_run": CHANGED_LAST_RUN,
}
