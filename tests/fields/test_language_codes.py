"""The language-code table (aggregator/pipelines/language_codes.toml): one code a language."""

from __future__ import annotations

import re

import pytest

from aggregator.pipelines.language import detect, item_language, language_codes


def test_the_table_maps_each_code_in_one_step_to_a_primary_subtag() -> None:
    codes = language_codes()
    assert {"no", "nn", "iw"} <= set(codes)
    for source, target in codes.items():
        assert re.fullmatch(r"[a-z]{2,3}", target), (source, target)
        assert target not in codes, f"{source} -> {target} is mapped again"


@pytest.mark.parametrize(
    ("declared", "code"),
    [("no", "nb"), ("nn", "nb"), ("nb-NO", "nb"), ("NO", "nb"), ("nb", "nb"), ("pt-BR", "pt")],
)
def test_declared_codes_come_out_as_the_items_code(declared: str, code: str) -> None:
    assert item_language(declared) == code


def test_norwegian_text_is_nb() -> None:
    text = (
        "Om vinteren kommer sola bare så vidt over fjellet, og folk i byen går ut for å se på "
        "lyset når det endelig kommer tilbake. Barna har fri fra skolen den dagen."
    )
    assert detect(text) == "nb"
