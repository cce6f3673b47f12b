"""What the tests share as a library: paths, ../shared and its skips, fixture records,
crawlers and the real crawls. Fixtures live in tests/conftest.py."""
