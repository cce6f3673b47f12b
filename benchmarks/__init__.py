"""Benchmarks: the full pipeline against bare Scrapy on the same loopback mirror, prompt
stripping speed, dump reading speed and memory as the crawl grows.

    make bench         # default scale, writes benchmarks/results.json and BENCHMARKS.md
    make bench-quick   # small scale, under a minute

``run`` is the command line; ``measure`` runs the measurements and returns typed results;
``report`` writes them as results.json and the table of BENCHMARKS.md. Every crawl goes
through ``process.crawl`` (one child process, measured); ``bare`` holds the bare spiders,
``server`` the mirror's HTTP server, ``mirror`` and ``texts`` generate the inputs.

Nothing here runs in CI; ``tests/benchmarks/test_benchmarks_smoke.py`` only checks that the code
runs.
"""
