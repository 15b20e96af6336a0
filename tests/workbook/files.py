"""Bad workbooks that openpyxl cannot make: built byte by byte, small on disk."""

import io
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

ORG_HEADER = ["code", "name", "parent_code", "level", "cell_type"]


def valid_bytes(rows=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "organizations"
    for row in rows or [ORG_HEADER, ["N1", "Đảng bộ mới", "D1", "grassroots", None]]:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, transform) -> bytes:
    """The same workbook with its first sheet's XML passed through ``transform``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def million_empty_rows(path: Path) -> Path:
    """Two good rows, then a million rows with nothing in them (and a dimension that says so)."""
    rows = [ORG_HEADER, ["N1", "Đảng bộ mới", "D1", "grassroots", None]]

    def transform(xml: bytes) -> bytes:
        empty = "".join(f'<row r="{n}"/>' for n in range(3, 1_000_003)).encode()
        xml = xml.replace(b"</sheetData>", empty + b"</sheetData>")
        return xml.replace(b'<dimension ref="A1:E2" />', b'<dimension ref="A1:E1000002" />')

    path.write_bytes(rewrite_sheet(valid_bytes(rows), transform))
    return path


def zip_bomb(path: Path) -> Path:
    """A workbook-looking zip whose sheet unpacks to 64 MB of the same byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        source = zipfile.ZipFile(io.BytesIO(valid_bytes()))
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024))
    path.write_bytes(out.getvalue())
    return path


def corrupt(path: Path) -> Path:
    """A real workbook whose sheet's compressed bytes were damaged (the zip directory is intact)."""
    data = bytearray(
        valid_bytes([ORG_HEADER] + [[f"N{i}", f"Tổ chức {i}", "D1", "grassroots", None] for i in range(300)])
    )
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + min(info.compress_size, 400)):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def encrypted(path: Path) -> Path:
    """What Excel saves with a password: an OLE compound file, not a zip."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    return path


def truncated(path: Path) -> Path:
    data = valid_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def deflate_ratio(data: bytes) -> float:
    return len(data) / len(zlib.compress(data))
