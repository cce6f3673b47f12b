"""``Publish``: what a judged run leaves behind, in order, once the engine has stopped.

On ``run_judged`` (``aggregator.extensions.health``): the feeds the run stored
(``feed_stored``) are moved into place when the run is publishable, else dropped (the previous
feeds stay byte for byte); with ``AGGREGATOR_STATE`` the run folder is published instead
(``aggregator.state.run.StateRun.publish``; none when nothing is new, unless
``AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED``; older folders pruned past ``AGGREGATOR_STATE_KEEP_RUNS``
at the end of a healthy run) or the run stays open for a resume; with
``AGGREGATOR_INDEX`` what was published is indexed (``aggregator.index.index_run``: its
counts join the summary, a failure makes the run unhealthy and leaves the feeds published);
then the verdict and summary go into the stats (``record_verdict``), the stats file is
written (``AGGREGATOR_STATS_FILE``), and the summary is logged: the run's last line (``scrapy
crawl`` prints it itself when the log does not show it; its exit status: 0 healthy, 1 not).
Every run with ``AGGREGATOR_INDEX``, published or not, also adds its closing figures to the
index's run history (``aggregator.index.runs``, shown by ``scrapy browse``), unless indexing
failed.

Scrapy logs "Stored jsonlines feed (N items) in: …" when a feed's file is closed, before the
run is judged: for a feed that is then dropped that line would be false. Those lines are left
out for the feeds this extension publishes; it logs "Published …" for each feed it moved.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from aggregator.extensions.health import CAPS, HEALTHY, UNHEALTHY, Verdict, record_verdict
from aggregator.feeds.stats_file import stats_file, write_stats
from aggregator.feeds.storage import move_into_place
from aggregator.index import index_run
from aggregator.index.runs import figures, record_run
from aggregator.state.retention import prune
from aggregator.state.run import StateRun, crash_point, run_marker
from aggregator.utils.signals import feed_stored, feeds_publishing, run_judged, state_opened

logger = logging.getLogger(__name__)


class Publish:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stored: list[tuple[Path, Path]] = []  # (partial, final) of each stored feed
        self.state: StateRun | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Publish:
        if not crawler.settings.getbool("AGGREGATOR_HEALTH_ENABLED", True):
            raise NotConfigured  # no verdict, nothing to publish (scrapy parse, fetch, …)
        extension = cls(crawler)
        logging.getLogger("scrapy.extensions.feedexport").addFilter(extension.not_yet_stored)
        crawler.signals.connect(extension.feed_stored, signal=feed_stored)
        crawler.signals.connect(extension.state_opened, signal=state_opened)
        crawler.signals.connect(extension.run_judged, signal=run_judged)
        return extension

    def feed_stored(self, partial: Path, final: Path) -> None:
        self.stored.append((partial, final))

    def not_yet_stored(self, record: logging.LogRecord) -> bool:
        """False for Scrapy's "Stored … feed" line of a feed not published yet (or ever)."""
        if record.msg != "Stored %s" or not isinstance(record.args, tuple) or not record.args:
            return True
        text = str(record.args[0])
        return not any(text.endswith(str(final)) for _, final in self.stored)

    def state_opened(self, run: StateRun) -> None:
        self.state = run

    def _record_run(
        self,
        url: str,
        verdict: Verdict,
        finish_reason: str | None,
        indexed: str | None,
        run_id: str | None,
    ) -> str | None:
        """The run's row in the index's ``runs`` (aggregator.index.runs); None, or why it
        was not written (stat ``aggregator/index/runs_failed``)."""
        stats = self.crawler.stats
        assert stats is not None
        spider = self.crawler.spider.name if self.crawler.spider is not None else None
        run = figures(
            stats.get_stats(),
            run_id=run_id,
            spider=spider,
            finish_reason=finish_reason,
            verdict=HEALTHY if verdict.healthy else UNHEALTHY,
            reasons=verdict.reasons,
            indexed=indexed,
        )
        problem = record_run(url, run)
        if problem:
            stats.set_value("aggregator/index/runs_failed", 1)
        return problem

    def _announce(self, partial: Path, final: Path) -> bool:
        """The run folder about to go into place, to ``feeds_publishing`` (a shared frontier
        records its marker, naming the run): whether it may."""
        state = self.state
        assert state is not None
        run = run_marker(
            state.run_id, str(self.crawler.settings.get("AGGREGATOR_STATE")), state.runs_dir
        )
        replies = self.crawler.signals.send_catch_log(
            feeds_publishing, stored=[(partial, final)], run=run
        )
        return all(reply is True or reply is None for _, reply in replies)

    def run_judged(
        self,
        verdict: Verdict,
        publishable: bool,
        finish_reason: str | None,
        articles: int,
        teasers: int,
    ) -> None:
        stats = self.crawler.stats
        assert stats is not None
        state = self.state
        empty = False  # an incremental run with nothing new: no folder unless asked
        run_id = state.run_id if state is not None else None
        if state is not None:
            counts = state.ledger.staged_counts(state.run_id)
            articles = counts.get("article/new", 0) + counts.get("article/changed", 0)
            teasers = counts.get("teaser/new", 0) + counts.get("teaser/changed", 0)
            stats.set_value("aggregator/state/new", state.counts["new"])
            stats.set_value("aggregator/state/changed", state.counts["changed"])
            stats.set_value("aggregator/state/unchanged", state.counts["unchanged"])
            empty = not articles + teasers and not self.crawler.settings.getbool(
                "AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED"
            )
            where = (
                "no new run folder, runs/latest stays"
                if empty
                else f"new or changed, to {state.runs_dir / state.run_id}"
            )
            kept = f"kept for run {state.run_id} to resume"
        else:
            where, kept = "", "previous feeds kept"
        if publishable:
            outcome = (
                f"{articles} articles, {teasers} teasers published{f' ({where})' * bool(where)}"
            )
            if state is not None and not articles + teasers:
                outcome += ": nothing new"
                stats.set_value("aggregator/state/nothing_new", True)
        else:
            outcome = f"{articles} articles, {teasers} teasers not published ({kept})"
        if state is not None:
            outcome += "; " + skipped_text(stats.get_stats())
        if finish_reason in CAPS:  # the user's own limit: say so, the run is not cut short
            outcome = f"stopped at the cap ({finish_reason}); {outcome}"
        record_verdict(stats, verdict, outcome, publishable, articles, teasers)
        snapshot = {**stats.get_stats(), "finish_reason": finish_reason}
        if publishable and self.stored:
            self.crawler.signals.send_catch_log(feeds_publishing, stored=list(self.stored))
            crash_point("feeds_marked")
        published = [str(path) for path in move_into_place(self.stored, publish=publishable)]
        if published:
            crash_point("feeds_moved")
        for feed in published:
            logger.info("Published %s", feed)
        self.stored = []
        logging.getLogger("scrapy.extensions.feedexport").removeFilter(self.not_yet_stored)
        if state is not None:
            try:
                if publishable and empty:
                    state.finish_empty()
                elif publishable:
                    folder = state.publish(snapshot, self._announce)
                    if folder is not None:
                        published.append(str(folder))
                keep = self.crawler.settings.getint("AGGREGATOR_STATE_KEEP_RUNS")
                if verdict.healthy and keep > 0:
                    pruned = prune(state.runs_dir, keep)
                    stats.set_value("aggregator/state/pruned_runs", len(pruned))
            finally:
                state.ledger.close()
                self.state = None
        url = self.crawler.settings.get("AGGREGATOR_INDEX")
        indexed: str | None = None
        failure: str | None = None
        if url and publishable:  # the feeds stay published whatever the index says
            indexed, failure = index_run(str(url), published, stats)
            outcome += f"; {indexed}"
            if failure:
                verdict.reasons.append(failure)
            record_verdict(stats, verdict, outcome, publishable, articles, teasers)
        if url and not failure:  # the run history (scrapy browse): published or not
            failure = self._record_run(str(url), verdict, finish_reason, indexed, run_id)
            if failure:  # as an indexing failure: the run is unhealthy, its feeds published
                verdict.reasons.append(failure)
                record_verdict(stats, verdict, outcome, publishable, articles, teasers)
        stats.set_value("aggregator/published/feeds", published)
        path = stats_file(self.crawler.settings)
        if path is not None:
            write_stats(path, {**stats.get_stats(), "finish_reason": finish_reason})
        summary = stats.get_value("aggregator/health/summary")
        (logger.info if verdict.healthy else logger.warning)("%s", summary)


def skipped_text(stats: dict[str, object]) -> str:
    """The summary's part on what an incremental run did not fetch again."""

    def count(key: str) -> int:
        value = stats.get(key, 0)
        return value if isinstance(value, int) else 0

    text = (
        f"{count('aggregator/state/skipped/story'):,} stories skipped as published, "
        f"{count('aggregator/state/fetched/story'):,} fetched"
    )
    unchanged = count("aggregator/state/skipped/not_modified")
    if unchanged:
        text += f" ({unchanged:,} not modified)"
    return text
