"""Item pipelines, in ``ITEM_PIPELINES`` order: normalize, prompts, dedupe, language, validate.

Cleaning stages never drop; dedupe drops repeats and validate, last, drops invalid items.
"""
