"""Item pipelines, in ``ITEM_PIPELINES`` order: normalize, prompts, validate, dedupe.

Cleaning stages never drop; validate drops invalid items and dedupe drops repeats.
"""
