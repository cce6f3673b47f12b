"""Benchmarks: the full pipeline against bare Scrapy on the same loopback mirror, prompt
stripping speed, dump reading speed and memory as the crawl grows.

    make bench         # default scale, writes benchmarks/results.json and BENCHMARKS.md
    make bench-quick   # small scale, under a minute

Nothing here runs in CI; ``tests/test_benchmarks_smoke.py`` only checks that the code runs.
"""
