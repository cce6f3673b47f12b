"""``CappedWarnings``: the first few of a kind logged, the rest counted, one closing line."""

from __future__ import annotations

import logging

import pytest

from aggregator.utils.capped_warnings import CappedWarnings


def test_each_kind_is_capped_and_closed(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.capped")
    capped = CappedWarnings(logger, limit=2)
    with caplog.at_level(logging.WARNING, logger="test.capped"):
        shown = [capped.warn("binary", "line %d: binary", n) for n in range(1, 6)]
        shown.append(capped.warn("bad_json", "line %d: bad json", 9))
        assert capped.hidden("binary") == 3 and capped.hidden("bad_json") == 0
        capped.close("malformed records")
    assert shown == [True, True, False, False, False, True]
    assert [r.getMessage() for r in caplog.records] == [
        "line 1: binary",
        "line 2: binary",
        "line 9: bad json",
        "3 more malformed records (binary) not shown (5 in all)",
    ]
    assert all(r.levelno == logging.WARNING for r in caplog.records)
    caplog.clear()
    capped.close()  # the counts started again: nothing more to say
    assert not caplog.records
