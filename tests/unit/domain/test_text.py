from __future__ import annotations

import pytest

from domain.errors import InvalidText
from domain.text import (
    MAX_TAGS,
    NAME_MAX_LENGTH,
    clean_description,
    clean_name,
    clean_notes,
    clean_tag,
    clean_tags,
    clean_text,
    normalise_iban,
)


def test_text_is_stripped() -> None:
    assert clean_name("  Café Müller  ") == "Café Müller"


def test_ordinary_unicode_is_kept() -> None:
    assert clean_name("Żabka 🛒 東京") == "Żabka 🛒 東京"


def test_text_up_to_the_limit_is_accepted() -> None:
    assert clean_name("x" * NAME_MAX_LENGTH) == "x" * NAME_MAX_LENGTH


def test_text_over_the_limit_is_refused() -> None:
    with pytest.raises(InvalidText):
        clean_name("x" * (NAME_MAX_LENGTH + 1))


def test_a_ten_kilobyte_payee_is_refused() -> None:
    with pytest.raises(InvalidText) as refused:
        clean_text("A" * 10_240, field="payee", max_length=NAME_MAX_LENGTH)
    assert refused.value.field == "payee"


@pytest.mark.parametrize("char", ["\x00", "\n", "\t", "\x1b", "\x1f", "\x7f"])
def test_control_characters_are_refused(char: str) -> None:
    with pytest.raises(InvalidText):
        clean_name(f"Shop{char}name")


def test_notes_and_descriptions_keep_line_breaks_and_tabs() -> None:
    assert clean_notes("paid cash\n\tsee receipt") == "paid cash\n\tsee receipt"
    assert clean_description("line one\nline two") == "line one\nline two"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_notes_still_refuse_other_control_characters(char: str) -> None:
    with pytest.raises(InvalidText):
        clean_notes(f"note{char}")


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(InvalidText):
        clean_name("Shop \ud800")


def test_a_required_text_must_not_be_blank() -> None:
    with pytest.raises(InvalidText):
        clean_name("   ")


def test_an_optional_text_may_be_empty() -> None:
    assert clean_text("  ", field="notes", max_length=10) == ""


def test_a_tag_over_fifty_characters_is_refused() -> None:
    with pytest.raises(InvalidText):
        clean_tag("t" * 51)


def test_duplicate_tags_are_dropped_keeping_the_first() -> None:
    assert clean_tags(["food", " trip ", "food"]) == ("food", "trip")


def test_more_than_twenty_tags_are_refused() -> None:
    with pytest.raises(InvalidText):
        clean_tags(f"tag{n}" for n in range(MAX_TAGS + 1))


def test_an_iban_is_normalised_to_upper_case_without_spaces() -> None:
    assert normalise_iban(" de89 3704 0044 0532 0130 00 ") == "DE89370400440532013000"


def test_an_iban_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidText):
        normalise_iban("DE88370400440532013000")


@pytest.mark.parametrize("text", ["", "DE89", "not an iban at all", "DE89-3704-0044-0532-0130-00"])
def test_text_that_is_not_shaped_like_an_iban_is_refused(text: str) -> None:
    with pytest.raises(InvalidText):
        normalise_iban(text)
