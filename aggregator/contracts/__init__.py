"""``scrapy check`` contracts of the project (``SPIDER_CONTRACTS``): ``@sample`` (a page of
samples/ as the callback's request) and ``@fills`` (the fields a callback's items must fill)."""

from aggregator.contracts.fills import FillsContract
from aggregator.contracts.sample import SampleContract

__all__ = ["FillsContract", "SampleContract"]
