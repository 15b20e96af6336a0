"""The importer reads cells with openpyxl's worksheet parser, its inline strings straight from their
elements (cells/workbook/reader.py): every cell must read exactly as openpyxl's own parse_cell reads it."""

from __future__ import annotations

import pytest
from defusedxml.ElementTree import fromstring
from openpyxl.worksheet._reader import WorkSheetParser

from cells.workbook.reader import _values_parser

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CELLS = [
    '<c r="A1" t="inlineStr"><is><t>Chi bộ Tổ dân phố số 1</t></is></c>',
    '<c r="B7" t="inlineStr" s="3"><is><t xml:space="preserve">  BI-C00001 </t></is></c>',
    '<c r="C2" t="inlineStr"><is><r><rPr><b/></rPr><t>Nguyễn</t></r>'
    '<r><t xml:space="preserve"> Văn An</t></r></is></c>',
    '<c r="D2" t="inlineStr"><is><t>A</t><r><t>B</t></r><rPh sb="0" eb="1"><t>x</t></rPh><t>C</t></is></c>',
    '<c r="E2" t="inlineStr"><is><r><t/></r><r><rPr><i/></rPr></r></is></c>',
    '<c r="F2" t="inlineStr"><is><t/></is></c>',
    '<c r="G2" t="inlineStr"><is/></c>',
    '<c r="H2" t="inlineStr"/>',
    '<c t="inlineStr"><is><t>no coordinate</t></is></c>',
    '<c r="J2" t="inlineStr"><f>"a"&amp;"b"</f><is><t>ab</t></is></c>',
    '<c r="K2" t="n"><v>12.5</v></c>',
    '<c r="L2" t="b"><v>1</v></c>',
    '<c r="M2" t="e"><v>#N/A</v></c>',
    '<c r="N2"><f>1+1</f><v>2</v></c>',
    '<c r="O2" t="str"><v>text</v></c>',
]


def _parse(parser_class, xml: str) -> dict:
    parser = parser_class(None, [], data_only=False)
    parser.row_counter, parser.col_counter = 2, 8
    return parser.parse_cell(fromstring(xml.replace("<c ", f'<c xmlns="{MAIN}" ', 1)))


@pytest.mark.parametrize("xml", CELLS)
def test_a_cell_reads_as_openpyxl_reads_it(xml):
    assert _parse(_values_parser(), xml) == _parse(WorkSheetParser, xml)


def test_the_inline_strings_really_take_the_short_way(monkeypatch):
    from openpyxl.cell import text

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl's rich-text object was built")

    monkeypatch.setattr(text.Text, "from_tree", classmethod(refuse))
    assert _parse(_values_parser(), CELLS[2])["value"] == "Nguyễn Văn An"
