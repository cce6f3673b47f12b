"""Crawler for a Magzter-style magazine aggregator: articles and teasers, cleaned of
interface text."""
