"""``content_hash``: what a published record says, as a short digest, so that two reads of the
same story compare equal. The incremental ledger and the search index both use it to tell a
new or changed record from an unchanged one."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Fields that differ between two reads of the same content: not a change.
VOLATILE: dict[str, frozenset[str]] = {
    "article": frozenset({"crawled_at", "url", "locale", "prompt_language"}),
    "teaser": frozenset({"source_url", "position", "crawled_at", "locale"}),
}


def content_hash(kind: str, record: dict[str, Any]) -> str:
    """The digest of ``record`` (an item of type ``kind`` as a dict), volatile fields left out."""
    kept = {k: v for k, v in record.items() if k not in VOLATILE.get(kind, frozenset())}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode("utf-8")).hexdigest()[:32]
