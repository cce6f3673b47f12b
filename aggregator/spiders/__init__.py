"""Spiders: navigation only. Page classes do the reading."""
