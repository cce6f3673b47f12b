"""Project settings. Every setting here, and every one the code reads, is in the one table of
docs/settings.md (tests/docs/test_settings_doc.py keeps the two in step)."""

from pathlib import Path

BOT_NAME = "aggregator"
SPIDER_MODULES = ["aggregator.spiders"]
NEWSPIDER_MODULE = "aggregator.spiders"
COMMANDS_MODULE = "aggregator.commands"

# -- where a run starts and writes ---------------------------------------------------------
# `scrapy crawl issues` with no start_urls crawls the offline mirror in samples/.
AGGREGATOR_START_DEFAULT = (Path(__file__).resolve().parents[1] / "samples" / "index.html").as_uri()
# The folder a file:// crawl may read; by default derived from the start URLs.
AGGREGATOR_MIRROR_ROOT = None
# Drop live-site politeness (AutoThrottle, robots.txt, delays) when every start URL is a
# file or a loopback server: it only slows a mirror down.
AGGREGATOR_LOCAL_FAST_ENABLED = True
OUTPUT_DIR = "output"
# Write the closing stats as JSON here (e.g. "%(output_dir)s/stats.json"); off when empty.
AGGREGATOR_STATS_FILE = ""
# Guess `language` from the text when the page does not declare it (CLD2, pycld2).
AGGREGATOR_LANGUAGE_DETECT_ENABLED = True
# Load only these interface languages' prompt catalogs (default: all).
AGGREGATOR_PROMPTS_LANGUAGES: list[str] = []
# `scrapy crawl dumps`: a record (a line, or a .txt page) over this many bytes is refused as
# `oversize`, read no further than this (the rest of its line is skipped as a stream).
AGGREGATOR_DUMPS_MAX_RECORD = 4 * 1024 * 1024
# `scrapy crawl dumps` on a URL-index selection (.cdxj, .csv): where its captures' WARC file
# names are read (a folder, file:// or https:// URL); empty: the selection's own folder.
AGGREGATOR_CORPUS_BASE = ""
# Set by `scrapy corpus run` for its tasks: a shard with no story of ours is no error.
AGGREGATOR_CORPUS_TASK = False
# Health judges the run; Publish then publishes the feeds (or the run folder), indexes them,
# writes the stats file and logs the summary, the run's last line.
EXTENSIONS = {
    "aggregator.extensions.gc_tuning.GcTuning": 100,  # off with AGGREGATOR_GC_TUNING = False
    "aggregator.extensions.state.StateExtension": 300,  # on with AGGREGATOR_STATE
    "aggregator.extensions.progress.Progress": 350,
    "aggregator.extensions.health.Health": 400,
    "aggregator.extensions.publish.Publish": 450,
}
# The garbage collector over a crawl (aggregator/extensions/gc_tuning.py): what is alive when
# the spider opens is frozen out of its walks, and its thresholds set (empty list: Python's).
AGGREGATOR_GC_TUNING = True
AGGREGATOR_GC_THRESHOLDS: list[int] = []
# A progress line every this many seconds (a live line on a terminal); 0 turns it off. It
# says what Scrapy's own 60 s line says, and stories lost: that one is off.
AGGREGATOR_PROGRESS_INTERVAL = 10.0
LOGSTATS_INTERVAL = 0.0
# Incremental runs: a state file (SQLite) of what was published; each finished run publishes
# only what is new or changed, as OUTPUT_DIR/runs/<run-id>/. Off when empty.
AGGREGATOR_STATE = ""
# What an incremental run need not fetch again (docs/scheduling.md): story and issue pages a
# published run read are due again after this many days (0: never); "all" re-reads all once.
AGGREGATOR_STATE_REFRESH_DAYS = 30.0
AGGREGATOR_STATE_REFRESH = ""
# Run folders kept (the newest; never the one runs/latest names); 0 keeps them all.
AGGREGATOR_STATE_KEEP_RUNS = 0
# A run with nothing new or changed publishes no folder (latest stays) unless this is on.
AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED = False
# The search index every finished run's published feeds (or run folder) go into:
# "sqlite:///path/index.sqlite" or "postgresql://user@host:port/db". Off when empty (for
# `scrapy crawl`; `scrapy index` and `scrapy search` default to OUTPUT_DIR/index.sqlite).
AGGREGATOR_INDEX = ""
# Many workers, one crawl: "redis://host:port/db" of a Valkey or Redis server holding the
# crawl's queue, leases and seen-set (aggregator/frontier, docs/frontier.md). Off when empty.
AGGREGATOR_FRONTIER = ""
# seconds without a worker's heartbeat before its leases go to the others
AGGREGATOR_FRONTIER_LEASE = 30.0
# a host's requests at once for all workers together (0: CONCURRENT_REQUESTS_PER_DOMAIN)
AGGREGATOR_FRONTIER_DOMAIN_CONCURRENCY = 0
# seconds a worker waits for a worker killed while publishing on a host it cannot see before it
# rolls that run back (its pages read again); 0: never, `scrapy frontier settle` does it
AGGREGATOR_FRONTIER_SETTLE_UNSEEN = 0.0
# Scrapy's remote control listens for commands: off for unattended runs (-s to turn it on).
REMOTE_CONTROL_ENABLED = False
# A setting given under its old name still works, with a warning naming the new one.
ADDONS = {"aggregator.utils.renamed_settings.RenamedSettings": 0}
# Scrapy's telnet console (and its password in the log): a debugging tool, -s to turn it on.
TELNETCONSOLE_ENABLED = False

# `scrapy check`: @sample (a page of samples/ as the request), @fills (fields an item fills)
SPIDER_CONTRACTS = {
    "aggregator.contracts.SampleContract": 10,
    "aggregator.contracts.FillsContract": 20,
}

# -- output --------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_URI_PARAMS = "aggregator.feeds.names.uri_params"
FEED_STORE_EMPTY = True
# The two feeds (aggregator.feeds.names.PROJECT_FEEDS) are installed by `scrapy crawl` only,
# so that `scrapy fetch`, `parse` or `shell` never open them; local feeds are written atomically.
FEED_STORAGES = {
    "": "aggregator.feeds.storage.AtomicFileFeedStorage",
    "file": "aggregator.feeds.storage.AtomicFileFeedStorage",
}
# Scrapy's JSON Lines exporter, the same bytes, without an ItemAdapter per item for our items.
# CSV (`-O out.csv`): a column for every field of articles and of teasers, not the first item's.
FEED_EXPORTERS = {
    "jsonlines": "aggregator.feeds.exporter.JsonLinesExporter",
    "csv": "aggregator.feeds.csv_exporter.CsvExporter",
}

# Repeat teaser cards are dropped at the spider's output, before Scrapy's item path.
# With AGGREGATOR_STATE, story pages a stopped run already read are not fetched again (900:
# after the repeats are dropped, so that every item it tracks reaches the pipelines).
SPIDER_MIDDLEWARES = {
    "aggregator.spidermiddlewares.repeats.RepeatTeasersMiddleware": 950,
    "aggregator.spidermiddlewares.resume.ResumeMiddleware": 900,
    # with AGGREGATOR_STATE: pages published runs read are not asked again until due
    "aggregator.spidermiddlewares.incremental.IncrementalMiddleware": 890,
    # with AGGREGATOR_FRONTIER: an item id another worker publishes is dropped, before this
    # process's own repeats are remembered (a worker taken for dead gives its ids back)
    "aggregator.frontier.claims.SharedItemIds": 960,
}

# Scrapy's pipeline manager, counting the articles and teasers it passes (for the health
# extension: an item_scraped receiver costs an asyncio task an item)
ITEM_PROCESSOR = "aggregator.pipelines.manager.CountingPipelineManager"

# normalize first, validate last. Dedupe drops repeats (the same card on every story page
# of an issue) before language detection, the costliest stage, spends time on them.
ITEM_PIPELINES = {
    "aggregator.pipelines.normalize.NormalizePipeline": 100,
    "aggregator.pipelines.prompts.PromptPipeline": 200,
    "aggregator.pipelines.dedupe.DedupePipeline": 700,
    "aggregator.pipelines.language.LanguagePipeline": 750,
    "aggregator.pipelines.wordcount.WordCountPipeline": 780,
    "aggregator.pipelines.validate.ValidatePipeline": 800,
}

# -- health: what makes a run unhealthy (exit status 1); -1 is no limit ----------------------
# AGGREGATOR_HEALTH_ENABLED (not set here: a command's default_settings rank below this file) is the
# run's verdict, summary line, exit status and the publishing of its feeds; on unless a
# command that reads pages and publishes nothing (parse, fetch, shell, view) turns it off.
AGGREGATOR_HEALTH_MIN_ARTICLES = 1
AGGREGATOR_HEALTH_MAX_LOST = 0
AGGREGATOR_HEALTH_MAX_DROPPED = 0
AGGREGATOR_HEALTH_MAX_ERRORS = 0
AGGREGATOR_HEALTH_MAX_MISSING = -1
# catalog, archive and issue pages not read (each hides the stories it lists)
AGGREGATOR_HEALTH_MAX_LOST_PAGES = 0

# -- live-site manners ---------------------------------------------------------------------
USER_AGENT = "aggregator-crawler/0.1 (archive crawler; +https://www.magzter.com/robots.txt)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
# -- faults: retries that wait, redirects and charsets checked (aggregator/downloadermiddlewares/)
# 429 and 503 (a busy server) get more attempts than other errors.
AGGREGATOR_RETRY_TIMES_THROTTLED = 5
# Wait before a retry: the server's Retry-After, else this many seconds, doubled per attempt,
# at most AGGREGATOR_RETRY_BACKOFF_MAX. A Retry-After over AGGREGATOR_RETRY_AFTER_MAX loses
# the page at once (named), rather than asking again too soon.
AGGREGATOR_RETRY_BACKOFF = 1.0
AGGREGATOR_RETRY_BACKOFF_MAX = 30.0
AGGREGATOR_RETRY_AFTER_MAX = 120.0
# A retry is the middleware's to log; the lost story is named once, at WARNING, by the spider.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
# A body cut short arrives flagged, with its byte counts, for the retry middleware to judge
# (the default turns it into an error with an empty message).
DOWNLOAD_FAIL_ON_DATALOSS = False
# Scrapy's duplicate filter with 8 bytes a request seen instead of ~90 (JOBDIR as Scrapy's):
# what a long crawl remembers must not grow its memory (aggregator/frontier/compact_dupefilter.py).
DUPEFILTER_CLASS = "aggregator.frontier.compact_dupefilter.CompactDupeFilter"
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "aggregator.downloadermiddlewares.retry.PatientRetryMiddleware": 595,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "aggregator.downloadermiddlewares.redirect.CheckedRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "aggregator.downloadermiddlewares.redirect.CheckedMetaRefreshMiddleware": 580,
    "aggregator.downloadermiddlewares.charset.CharsetRepairMiddleware": 585,
    # robots.txt of a host that cannot be reached: no traceback at ERROR (the page is named)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "aggregator.downloadermiddlewares.robots.QuietRobotsTxtMiddleware": 100,
    # with AGGREGATOR_STATE: a catalog or publication page answered 304 is read from the ledger
    "aggregator.downloadermiddlewares.not_modified.NotModifiedPagesMiddleware": 880,
    # with AGGREGATOR_FRONTIER: a host's concurrency and delay for all workers together;
    # last before the download, so that every attempt (retries too) takes a slot
    "aggregator.frontier.politeness.CrawlWidePoliteness": 950,
}
# An HTTP cache for repeated live runs: `-s HTTPCACHE_ENABLED=1`.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 24 * 3600

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
# No per-item record ("Scraped from", DEBUG drops) when LOG_LEVEL would hide it anyway.
LOG_FORMATTER = "aggregator.utils.logformatter.QuietItemLogFormatter"
