"""Text and cell values → Decimal or typed non-number, as colleagues write them in workbooks."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from esg_author.core.data.number_parsing import (
    NotANumberError,
    ParsedEntry,
    decimal_from_cell_number,
    is_percent_format,
    parse_cell_value,
    parse_text,
    same_number,
    stored_number,
    unit_code_for_text,
)
from esg_author.core.data.units import unit_codes, unit_label


@pytest.mark.parametrize(("text", "number"), [
    ("1234", "1234"),
    ("1,234", "1234"),
    ("1 234", "1234"),
    ("1\u00a0234", "1234"),  # no-break space, as Excel's French locale writes it
    ("1\u202f234.5", "1234.5"),  # narrow no-break space
    ("12,345,678.25", "12345678.25"),
    ("  7  ", "7"),
    ("-3.5", "-3.5"),
    ("−4", "-4"),  # U+2212 minus sign
    ("(12)", "-12"),
    ("(1,234.5)", "-1234.5"),
    (".5", "0.5"),
    ("１２３", "123"),  # full-width digits
    ("１，２３４．５", "1234.5"),  # full-width comma and point
    ("－１２", "-12"),
    ("0.1234567890123456789", "0.1234567890123456789"),  # kept exactly: no float on the way
    ("1e3", "1000"),
    ("1.2萬", "12000"),
    ("3億", "300000000"),
])
def test_numbers(text: str, number: str) -> None:
    entry = parse_text(text)
    assert entry == ParsedEntry("number", Decimal(number))
    assert str(entry.number) == number


@pytest.mark.parametrize(("text", "number"), [("12%", "12"), ("12.5 %", "12.5"), ("１２％", "12"), ("-0.5%", "-0.5")])
def test_percent_text(text: str, number: str) -> None:
    assert parse_text(text) == ParsedEntry("number", Decimal(number), percent=True)


@pytest.mark.parametrize(("text", "number", "unit"), [
    ("1,234 kWh", "1234", "kwh"),
    ("56噸", "56", "噸"),
    ("2,400.5 tCO₂e", "2400.5", "tco2e"),
    ("38 m³", "38", "m3"),
    ("1.2萬噸", "12000", "噸"),
])
def test_trailing_units(text: str, number: str, unit: str) -> None:
    assert parse_text(text) == ParsedEntry("number", Decimal(number), unit_text=unit)


@pytest.mark.parametrize(("text", "kind"), [
    ("N/A", "not_applicable"), ("n/a", "not_applicable"), ("NA", "not_applicable"), ("n.a.", "not_applicable"),
    ("不適用", "not_applicable"), ("不适用", "not_applicable"), ("/", "not_applicable"), ("-", "not_applicable"),
    ("—", "not_applicable"), ("－", "not_applicable"), (" Not applicable ", "not_applicable"),
    ("N/A 不適用", "not_applicable"), ("不適用 (N/A)", "not_applicable"),
    ("未匯報", "not_reported"), ("未汇报", "not_reported"), ("not reported", "not_reported"), ("Not Reported", "not_reported"),
    ("保密", "confidential"), ("confidential", "confidential"), ("CONFIDENTIAL", "confidential"), ("保密 confidential", "confidential"),
])
def test_words_for_non_numbers(text: str, kind: str) -> None:
    assert parse_text(text) == ParsedEntry(kind)


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_blank_is_no_value(text: str) -> None:
    assert parse_text(text) is None
    assert parse_cell_value(None) is None


@pytest.mark.parametrize("text", [
    "abc", "1,23", "1.234.5", "12-13", "n/a confidential", "about 12", "12%kg", "1 2", "--5", "(-5)", "#DIV/0!", "#N/A",
])
def test_not_numbers(text: str) -> None:
    with pytest.raises(NotANumberError):
        parse_text(text)


def test_excel_error_text_is_named() -> None:
    with pytest.raises(NotANumberError, match="#DIV/0!"):
        parse_text("#DIV/0!")


def test_unknown_trailing_text_is_kept_for_the_unit_check() -> None:
    # Whether "abc" is a unit is for the importer to decide: it knows the KPI.
    assert parse_text("12 abc") == ParsedEntry("number", Decimal("12"), unit_text="abc")
    assert unit_code_for_text("abc") is None


def test_score_with_maximum() -> None:
    assert parse_text("4.5/5") == ParsedEntry("score", Decimal("4.5"), Decimal("5"))
    assert parse_text("4.68 out of 5") == ParsedEntry("score", Decimal("4.68"), Decimal("5"))


def test_cell_numbers_are_exact() -> None:
    assert decimal_from_cell_number(0.1) == Decimal("0.1")
    assert str(decimal_from_cell_number(1234.567890123457)) == "1234.567890123457"
    assert str(decimal_from_cell_number(12.0)) == "12"
    assert decimal_from_cell_number(7) == Decimal(7)
    assert parse_cell_value(0.30000000000000004) == ParsedEntry("number", Decimal("0.30000000000000004"))


def test_percent_formatted_cell_holds_a_fraction() -> None:
    assert parse_cell_value(0.12, "0%") == ParsedEntry("number", Decimal("12"), percent=True)
    assert parse_cell_value(0.125, "0.0%") == ParsedEntry("number", Decimal("12.5"), percent=True)
    assert parse_cell_value(12.5, '0.0"%"') == ParsedEntry("number", Decimal("12.5"))  # a literal % is no percent format


def test_percent_format_detection() -> None:
    assert is_percent_format("0.00%")
    assert not is_percent_format("General")
    assert not is_percent_format('#,##0"%"')
    assert not is_percent_format("0\\%")


def test_other_cell_types() -> None:
    with pytest.raises(NotANumberError, match="date"):
        parse_cell_value(datetime(2025, 1, 1))
    with pytest.raises(NotANumberError):
        parse_cell_value(True)
    assert parse_cell_value(" 1,234 ") == ParsedEntry("number", Decimal("1234"))


@pytest.mark.parametrize(("written", "code"), [
    ("kWh", "kWh"), ("千瓦時", "kWh"), ("千瓦时", "kWh"), ("MWh", "MWh"), ("兆瓦時", "MWh"), ("噸", "t"), ("吨", "t"),
    ("tonnes", "t"), ("tCO₂e", "tCO2e"), ("TCO2E", "tCO2e"), ("噸二氧化碳當量", "tCO2e"), ("m³", "m3"), ("立方米", "m3"),
    ("人", "person"), ("persons", "person"), ("人次", "person_time"), ("宗", "case"), ("元", "RMB"), ("percent", "percent"),
])
def test_unit_spellings(written: str, code: str) -> None:
    assert unit_code_for_text(written) == code


def test_every_unit_label_is_recognised() -> None:
    for code in unit_codes():
        assert unit_code_for_text(code) == code
        for lang in ("en", "zh-Hant", "zh-Hans"):
            label = unit_label(code, lang)
            found = unit_code_for_text(label)
            # Labels shared by two units (none today) would be reported by the unit-spelling build.
            assert found == code or unit_label(found or "", lang) == label, (code, lang, label, found)


@pytest.mark.parametrize(("value", "number_format"), [
    ("1e30", "General"), ("1e999999999", "General"), ("1e999999萬", "General"), ("1000000000000001", "General"),
    ("99999999999999999999/5", "General"), (1e30, "General"), (1e27, "0%"), (1e14, "0.0%"), (10**20, "General"),
])
def test_absurd_magnitudes_are_not_numbers(value: object, number_format: str) -> None:
    with pytest.raises(NotANumberError, match="number too large"):  # was: decimal.InvalidOperation
        parse_cell_value(value, number_format)


def test_the_largest_accepted_number() -> None:
    assert parse_text("1e15") == ParsedEntry("number", Decimal("1000000000000000"))
    assert parse_text("-1e15").number == Decimal("-1000000000000000")


def test_stored_number_keeps_precision_plus_six_decimals_half_up() -> None:
    assert stored_number(Decimal(1000) * 5 / 18, 2) == Decimal("277.77777778")
    assert str(stored_number(Decimal("1.234"), 2)) == "1.234"  # short numbers stay as they are
    assert str(stored_number(Decimal("100.0000000001"), 2)) == "100"
    assert stored_number(Decimal("0.0000000049"), 0) == 0 and stored_number(Decimal("0.0000005"), 0) == Decimal("0.000001")
    assert stored_number(Decimal("-0.0000005"), 0) == Decimal("-0.000001")  # half-up: ties away from zero
    assert stored_number(Decimal("1234567890123456789012345.123456789012345"), 6) == \
        Decimal("1234567890123456789012345.123456789012")  # more digits than Decimal's context: no error


def test_same_number_survives_a_workbook_cell() -> None:
    stored = Decimal("123456789012.12345678")
    assert same_number(stored, Decimal(f"{float(stored):.16g}"), 2)  # openpyxl writes 16 digits
    assert same_number(Decimal("277.7777777777777777777777778"), Decimal(repr(277.7777777777777777777777778)), 2)
    assert not same_number(Decimal("1.5"), Decimal("1.50001"), 2)
    assert not same_number(Decimal("999999999999999"), Decimal("999999999999998"), 0)
