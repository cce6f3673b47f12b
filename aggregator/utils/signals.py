"""The project's own signals, sent with ``crawler.signals.send_catch_log``: how components tell
each other what happened without holding each other's state.

- ``feed_stored(partial, final)``: a local feed was written and fsynced beside its final name
  (``aggregator.feeds.storage``); the publish extension moves it into place or drops it.
- ``state_opened(run)``: the incremental run (``aggregator.state.run.StateRun``) is open
  (``aggregator.extensions.state``, at ``spider_opened``); the resume middleware and the
  publish extension keep it.
- ``page_missing(request)``: a page the site does not have (404, 410, no such file in a
  mirror), its outcome settled as missing by the spider (``aggregator.spiders.issues``); the
  incremental middleware counts a missing story as settled for its issue.
- ``repeat_check_ready(check)``: the repeat-teaser middleware's check (``RepeatCheck``: has
  a teaser of this id passed already?) at ``spider_opened``; a spider that receives it hands it
  to its page classes, so that repeat cards are not built.
- ``crawl_scope(scope)``: the issues spider's scope (``aggregator.site.scope.Scope``), at
  ``spider_opened``; the redirect checks judge a hop off the site with it.
- ``feeds_publishing(stored)``: the publish extension is about to move the stored feeds
  (``(partial, final)`` pairs) into place; a shared frontier records its publishing marker
  (``aggregator.frontier.publishing``) before the first rename.
- ``run_judged(verdict, publishable, articles_read)``: the engine has stopped and the health
  extension has judged the run (``aggregator.extensions.health``); the publish extension then
  publishes, indexes, writes the stats file and logs the summary.
"""

feed_stored = object()
state_opened = object()
run_judged = object()
feeds_publishing = object()
page_missing = object()
repeat_check_ready = object()
crawl_scope = object()
