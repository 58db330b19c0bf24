"""Parsing the CMS fixed-width HCPCS file (tests/fixtures/hcpcs, a re-typed excerpt)."""

from __future__ import annotations

import datetime

import hcpcs_fixture as fx  # noqa: E402 - tests/fixtures/hcpcs is on sys.path (conftest)
import pytest

from assistant.codes.hcpcs import CodeRecord, ImportFailed
from assistant.codes.hcpcs.parse import Source, parse, read_source, release_of

D = datetime.date


def parsed(data: bytes | str | None = None, name: str = fx.FIXTURE_NAME):
    if data is None:
        data = fx.FIXTURE_PATH.read_bytes()
    if isinstance(data, str):
        data = data.encode("ascii")
    records = parse(data, name)
    return {(r.is_modifier, r.code): r for r in records}, records


def test_committed_fixture_matches_its_builder():
    assert fx.FIXTURE_PATH.read_bytes() == fx.text().encode("ascii")


def test_counts_codes_and_modifiers():
    by_key, records = parsed()
    assert sum(not r.is_modifier for r in records) == fx.CODE_COUNT
    assert sum(r.is_modifier for r in records) == fx.MODIFIER_COUNT
    assert [r.code for r in records if not r.is_modifier] == [c[0] for c in fx.CODES]


def test_continuation_lines_are_joined_with_a_space():
    by_key, _ = parsed()
    assert by_key[False, "A0427"].long_description == (
        "Ambulance service, advanced life support, emergency transport, level 1 (als 1 - emergency)"
    )
    e0470 = by_key[False, "E0470"]
    assert len(e0470.long_lines) == 3
    assert e0470.long_description.endswith(
        "nasal or facial mask (intermittent assist device with continuous positive airway "
        "pressure device)"
    )
    assert "  " not in e0470.long_description
    assert by_key[False, "E0114"].long_description == (
        "Crutches underarm, other than wood, adjustable or fixed, pair, with pads, tips and "
        "handgrips"
    )


def test_short_description_and_dates():
    by_key, _ = parsed()
    v5266 = by_key[False, "V5266"]
    assert v5266.short_description == "Battery for hearing device"
    assert v5266.long_description == "Battery for use in hearing device"
    assert v5266.add_date == D(2002, 1, 1)
    assert v5266.term_date is None
    assert by_key[False, "A4253"].action_date == D(1998, 7, 1)


def test_terminated_code_and_modifier():
    by_key, _ = parsed()
    c9089 = by_key[False, "C9089"]
    assert c9089.term_date == D(2025, 12, 31)
    assert c9089.action == "D"
    jg = by_key[True, "JG"]
    assert jg.term_date == D(2024, 12, 31)
    assert jg.long_description == (
        "Drug or biological acquired with 340b drug pricing program discount, reported for "
        "informational purposes"
    )


def test_modifiers_are_their_own_record_type():
    by_key, _ = parsed()
    ga = by_key[True, "GA"]
    assert ga.is_modifier
    assert ga.long_description.endswith("payer policy, individual case")
    assert ga.short_description == "Liability waiver ind case"
    assert (False, "GA") not in by_key
    assert by_key[True, "LT"].long_description.startswith("Left side (used to identify")


def test_blank_padding_past_column_320_and_blank_trailer_are_accepted():
    by_key, _ = parsed()
    assert by_key[False, fx.WIDE_RECORD_CODE].long_description == (
        "Administration of influenza virus vaccine"
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n", ""])
def test_line_endings(newline):
    body = newline.join(fx.lines()) + newline
    _, records = parsed(body)
    assert len(records) == fx.CODE_COUNT + fx.MODIFIER_COUNT


@pytest.mark.parametrize("name", sorted(fx.malformed_variants()))
def test_malformed_records_name_the_record(name):
    body, number, part = fx.malformed_variants()[name]
    with pytest.raises(ImportFailed) as info:
        parsed(body)
    message = str(info.value)
    assert message.startswith(f"record {number}: "), message
    assert part in message
    assert info.value.record == number
    assert "\n" not in message


@pytest.mark.parametrize(
    "body, part",
    [
        (b"", "empty"),
        (b"\r\n   \r\n", "empty"),
        (b"code,short_description\nE0601,Cpap\n", "record 1: is 22 characters long, expected 320"),
        (b"PK\x03\x04\x00\x00garbage" * 40, "record 1:"),
    ],
)
def test_wrong_files(body, part):
    with pytest.raises(ImportFailed) as info:
        parse(body, "x.txt")
    assert part in str(info.value)


def test_only_modifiers_is_not_a_code_file():
    body = "".join(line + "\r\n" for line in fx.lines(codes=[]))
    with pytest.raises(ImportFailed, match="no HCPCS code records"):
        parse(body.encode(), "x.txt")


def test_non_ascii_text_keeps_columns():
    line = fx.record_line(
        "E0601",
        100,
        "3",
        "Continuous positive airway pressure (cpap) device",
        "Cont airway pressure device",
        "36",
        "19880101",
        "20140101",
        "",
        "N",
    )
    raw = line.encode("ascii").replace(b"device ", b"devic\xe9 ", 1)  # cp1252 e-acute
    (record,) = parse(raw + b"\r\n", "x.txt")
    assert record.long_description == "Continuous positive airway pressure (cpap) devic\u00e9"
    assert record.add_date == D(1988, 1, 1)


def test_release_name_from_cms_file_name():
    _, records = parsed()
    source = Source(b"", "HCPC2026_JAN_ANWEB_01122026.txt", "x.zip")
    assert release_of(source, records) == (
        "January 2026 (HCPC2026_JAN_ANWEB_01122026)",
        D(2026, 1, 1),
    )
    source = Source(b"", "HCPC2025_OCT_ANWEB_v2.txt", "x.zip")
    assert release_of(source, records) == ("October 2025 (HCPC2025_OCT_ANWEB_v2)", D(2025, 10, 1))


def test_release_name_of_a_renamed_file():
    _, records = parsed()
    by_zip = Source(b"", "codes.txt", "/tmp/april-2026-alpha-numeric-hcpcs-file.zip")
    assert release_of(by_zip, records) == ("April 2026 (codes)", D(2026, 4, 1))
    by_dates = Source(b"", "codes.txt", "/tmp/codes.txt")
    assert release_of(by_dates, records) == ("January 2026 (codes)", D(2026, 1, 1))


def test_read_source_zip_and_txt(tmp_path):
    txt = tmp_path / fx.FIXTURE_NAME
    txt.write_bytes(fx.FIXTURE_PATH.read_bytes())
    zipped = fx.write_zip(tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip")
    from_txt, from_zip = read_source(txt), read_source(zipped)
    assert from_txt.data == from_zip.data
    assert from_zip.name == fx.FIXTURE_NAME


def test_read_source_problems(tmp_path):
    with pytest.raises(ImportFailed, match="cannot read"):
        read_source(tmp_path / "missing.zip")
    with pytest.raises(ImportFailed, match="directory"):
        read_source(tmp_path)
    empty_zip = tmp_path / "empty.zip"
    fx.write_zip(empty_zip)
    import zipfile

    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.pdf", b"%PDF")
    with pytest.raises(ImportFailed, match="no HCPCS fixed-width TXT"):
        read_source(empty_zip)
    broken = tmp_path / "broken.zip"
    whole = fx.write_zip(tmp_path / "whole.zip").read_bytes()
    broken.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFailed, match="damaged or truncated zip"):
        read_source(broken)


def test_code_record_active_and_status():
    rec = CodeRecord("C9089", "s", "l", D(2022, 1, 1), D(2025, 12, 31), False)
    assert rec.active(D(2025, 12, 31))  # the termination date is the last valid day
    assert not rec.active(D(2026, 1, 1))
    assert rec.status(D(2026, 1, 1)) == "terminated"
    assert rec.status(D(2021, 6, 1)) == "not yet effective"
    assert rec.status(D(2023, 6, 1)) == "active"
    assert CodeRecord("E0601", "s", "l", None, None, False).active()
