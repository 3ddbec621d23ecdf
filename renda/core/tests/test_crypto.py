"""Personal data is ciphertext at rest, found by blind index, masked on screen."""

import pytest
from django.db import connection

from renda.core import crypto
from renda.deputies.selectors import deputy_list


def test_encrypt_round_trip_and_randomised():
    a, b = crypto.encrypt("13812345678"), crypto.encrypt("13812345678")
    assert a != b and a.startswith(crypto.PREFIX)
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13812345678"


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("520521198003151224")
    body = bytearray(token.encode())
    body[-5] = ord("A") if body[-5] != ord("A") else ord("B")
    with pytest.raises(ValueError):
        crypto.decrypt(body.decode())


def test_blind_index_is_keyed_and_stable():
    assert crypto.blind_index("x") == crypto.blind_index("x")
    assert crypto.blind_index("x") != crypto.blind_index("y")
    assert len(crypto.blind_index("x")) == 64


def test_id_number_is_ciphertext_in_the_raw_row(deputies):
    wang = deputies["wang"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM deputies_deputy WHERE id = %s", [wang.pk]
        )
        id_number, phone, index = cursor.fetchone()
    assert "520521198003151224" not in id_number and id_number.startswith(crypto.PREFIX)
    assert "13812345678" not in phone
    assert index == crypto.blind_index("520521198003151224")
    wang.refresh_from_db()
    assert wang.id_number == "520521198003151224"


def test_exact_search_by_id_number_uses_the_blind_index(deputies, users):
    found = deputy_list(user=users["county_staff"], q="52052119750308107x")
    assert [d.name for d in found] == ["李明"]
    assert not deputy_list(user=users["county_staff"], q="520521198003151232").exists()
