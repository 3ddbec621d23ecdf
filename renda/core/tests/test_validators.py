"""GB 11643 identity numbers, phone numbers and masking."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from renda.core.masking import mask_id_number, mask_phone
from renda.core.validators import id_check_character, validate_id_number, validate_phone


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("520521198003151224", "520521198003151224"),
        ("52052119750308107x", "52052119750308107X"),  # lower-case x
        (" 5205 2119 7503 0810 7X ", "52052119750308107X"),  # spaces
        ("５２０５２１１９８００３１５１２２４", "520521198003151224"),  # full-width digits
        ("11010519491231002X", "11010519491231002X"),  # the standard's own example
    ],
)
def test_valid_id_numbers_are_normalised(raw, expected):
    assert validate_id_number(raw) == expected


@pytest.mark.parametrize(
    "raw, code",
    [
        ("52052119800315122", "length"),
        ("520521198003151225", "checksum"),
        ("520521198002301224", "birth"),  # 30 February
        ("520521290003151224", "birth"),  # born in the future
        ("990521198003151224", "region"),
        ("52052119800315122A", "format"),
    ],
)
def test_invalid_id_numbers_say_why(raw, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(raw)
    assert info.value.code == code


def test_gender_digit_and_birth_month_are_checked():
    assert validate_id_number("520521198003151224", gender="female")
    with pytest.raises(ValidationError) as info:
        validate_id_number("520521198003151224", gender="male")
    assert info.value.code == "gender"
    with pytest.raises(ValidationError) as info:
        validate_id_number("520521198003151224", birth=datetime.date(1980, 4, 1))
    assert info.value.code == "birth_mismatch"


@given(
    born=st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2008, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_check_character_catches_every_single_digit_error(born, sequence, position, delta):
    first17 = f"520521{born:%Y%m%d}{sequence:03d}"
    number = first17 + id_check_character(first17)
    assert validate_id_number(number) == number
    altered = first17[:position] + str((int(first17[position]) + delta) % 10) + first17[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(altered + number[17])


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0857-5221234", "0857-5221234"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert validate_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "23812345678", "1381234567a", ""])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_phone(raw)


def test_masks_keep_only_what_offices_show():
    assert mask_id_number("52052119750308107X") == "520521********107X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == ""
