"""The browser's two pages of its own: an article (``/-/article/ID``: headline, standfirst,
authors, publication and issue, the body as paragraphs, the canonical link, the teaser
cards that point to it) and the run history (``/-/runs``: the runs as a table and two
charts drawn on the server, aggregator/browse/chart.py)."""

from __future__ import annotations

import json
from typing import Any

from datasette.utils.asgi import NotFound, Response

from aggregator.browse.chart import articles_chart, losses_chart

ARTICLE = """SELECT a.*, i.body AS searched FROM articles a JOIN items i ON i.rowid = a.rowid
WHERE a.id = ?"""
CARDS = """SELECT id, title, summary, source_url, position, publication, issue_date
FROM teasers WHERE story_id = ? ORDER BY source_url, position"""
RUNS = "SELECT * FROM runs ORDER BY started_at, run_id"
LOSSES = "SELECT run_id, what, reason, count FROM run_losses ORDER BY what, reason"


def paragraphs(searched: str, standfirst: str | None) -> list[str]:
    """The body's paragraphs from the searched text (aggregator/index/loader.py: the
    standfirst and the body, one blank line between them)."""
    body = searched
    if standfirst:
        body = body.removeprefix(standfirst).removeprefix("\n\n")
    return [part.strip() for part in body.split("\n\n") if part.strip()]


async def article(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    item_id = request.url_vars["id"]
    row = (await db.execute(ARTICLE, [item_id])).first()
    if row is None:
        raise NotFound(f"no article {item_id} in the index")
    record = dict(row)
    cards = [dict(card) for card in (await db.execute(CARDS, [item_id])).rows]
    context = {
        "article": record,
        "paragraphs": paragraphs(record.pop("searched"), record["standfirst"]),
        "cards": cards,
        "database": db.name,
    }
    return Response.html(await datasette.render_template("article.html", context, request))


async def runs(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    rows = [dict(row) for row in (await db.execute(RUNS)).rows]
    for row in rows:
        row["reasons"] = json.loads(row["reasons"] or "[]")
    order = [row["run_id"] for row in rows]
    losses = [
        (row["run_id"], f"{row['what']} {row['reason']}", int(row["count"]))
        for row in (await db.execute(LOSSES)).rows
    ]
    context = {
        "runs": rows,
        "articles_chart": articles_chart([(row["run_id"], row["articles"]) for row in rows]),
        "losses_chart": losses_chart(order, losses),
        "database": db.name,
    }
    return Response.html(await datasette.render_template("runs.html", context, request))
