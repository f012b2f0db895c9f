#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the generated accounts CSV as an XLSX the way Excel stores it: numbers as numbers (money,
percentages and dates as numbers with a number format), text in the shared-strings table.

    bench/web/make-xlsx.py bench/out/accounts-1000000.csv --rows 200000 -o bench/out/accounts-200000.xlsx
"""
import argparse
import csv
import datetime as dt
import re
import zipfile
from xml.sax.saxutils import escape

NUM = re.compile(r"^-?\d+(\.\d+)?$")
MONEY = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
PCT = re.compile(r"^-?\d+(\.\d+)?%$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EPOCH = dt.date(1899, 12, 30)
COLS = [chr(ord("A") + i) for i in range(26)]

CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WB = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Accounts" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
# Styles: 0 general, 1 date (numFmt 14), 2 percent with one decimal (custom 164), 3 #,##0.00 (numFmt 4).
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("csv")
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()
    strings, index = [], {}

    def sst(s):
        i = index.get(s)
        if i is None:
            i = index[s] = len(strings)
            strings.append(s)
        return i

    def cell(ref, v):
        if v == "":
            return ""
        if NUM.match(v):
            return f'<c r="{ref}"><v>{v}</v></c>'
        if MONEY.match(v):
            return f'<c r="{ref}" s="3"><v>{v.replace(",", "")}</v></c>'
        if PCT.match(v):
            return f'<c r="{ref}" s="2"><v>{float(v[:-1]) / 100:.6g}</v></c>'
        if DATE.match(v):
            return f'<c r="{ref}" s="1"><v>{(dt.date.fromisoformat(v) - EPOCH).days}</v></c>'
        return f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>'

    with open(a.csv, newline="", encoding="utf-8") as f, \
            zipfile.ZipFile(a.output, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/styles.xml", STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            reader = csv.reader(f)
            header = next(reader)
            row = "".join(f'<c r="{COLS[i]}1" t="s"><v>{sst(h)}</v></c>' for i, h in enumerate(header))
            out.write(f'<row r="1">{row}</row>'.encode())
            buf = []
            for n, rec in enumerate(reader, start=2):
                if n > a.rows + 1:
                    break
                buf.append(f'<row r="{n}">' + "".join(cell(f"{COLS[i]}{n}", v) for i, v in enumerate(rec)) + "</row>")
                if len(buf) >= 5000:
                    out.write("".join(buf).encode())
                    buf.clear()
            out.write("".join(buf).encode())
            out.write(b"</sheetData></worksheet>")
        z.writestr("xl/sharedStrings.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
                   + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")


if __name__ == "__main__":
    main()
