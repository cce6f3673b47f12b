"""Many ``scrapy crawl`` processes, one crawl: a shared frontier on Valkey or Redis.

``-s AGGREGATOR_FRONTIER=redis://host:port/db`` makes the crawl's scheduler
(``scheduler.FrontierScheduler``) and duplicate filter (``dupefilter.SharedDupeFilter``)
live in the server, and the per-domain concurrency and delay crawl-wide
(``politeness.CrawlWidePoliteness``). How requests are leased, kept and given back:
``leases``; how they are written: ``serialize``; docs/frontier.md says it for users.
"""

from __future__ import annotations

# Signals of the shared frontier (Scrapy signals are plain objects), each with ``requests``,
# a list (one signal a batch: a signal costs more than the rest of a request's scheduling).
# A story request handed to the shared queue (or found seen there) may be read by another
# worker: its outcome is that worker's to name, not this one's (aggregator.accounting.stories
# listens); a request leased from it is this worker's now.
request_handed_over = object()
request_leased = object()
