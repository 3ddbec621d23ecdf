"""Write docs/samples/代表名册-示例.xlsx: a roster in the messy shape offices really send.

Run from the repository root:  .venv/bin/python docs/samples/make_roster_sample.py

Import it into 大方县第十八届人民代表大会 on the demo site (`make run`): its constituencies 第41–44选区
are those of 黄泥塘镇 in the demo data. What the importer should say, row by row, is in README.md here
(and renda/deputies/tests/test_imports.py checks it).
"""

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
TARGET = HERE / "代表名册-示例.xlsx"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_character(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number(born: str, sequence: int, *, want: str | None = None) -> str:
    """An ID number of 大方县 (520521) born on `born` (YYYYMMDD); odd sequence = male."""
    while True:
        first17 = f"520521{born}{sequence:03d}"
        check = check_character(first17)
        if want is None or check == want:
            return first17 + check
        sequence += 2


def build() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名册"
    header = [
        "序号", "代表姓名", "性别", "民族", "出生年月", "籍贯", "政治面貌", "学历",
        "单位职务", "所在选区", "代表团", "手机号码", "公民身份号码", "备注",
    ]  # fmt: skip
    sheet.append(["大方县第十八届人民代表大会代表名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：黄泥塘镇人大主席团　　　　　填报时间：2024年3月"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet.append(header)

    luo = id_number("19750312", 202)  # female
    chen = id_number("19681005", 111)  # male, born in October
    yang = id_number("19800512", 302, want="X")  # ends in X
    zhang = id_number("19720808", 133)
    an = id_number("19850220", 155)
    long_ = id_number("19790716", 246)
    rounded = id_number("19700101", 171)
    bad_check = id_number("19660606", 181)
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    wrong_birth = id_number("19770909", 193)
    duplicate_of_first = luo
    nameless = id_number("19820404", 264)
    lost = id_number("19830707", 275)

    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    rows = [
        # 1 new: two-character name padded with a full-width space, birth month 1975.03 as text
        [1, "罗　敏", "女", "苗族", "1975.03", "贵州大方", "中共党员", "大学本科",
         "黄泥塘镇卫生院院长", "第41选区", "黄泥塘镇代表团", "139 0857 1001", luo, ""],
        # 2 new: stray spaces; birth month typed 1968.10 in a number cell, which Excel keeps as 1968.1
        [2, " 陈国华 ", "男", "汉", 1968.1, "贵州大方", "中共党员", "大专",
         "黄泥塘镇新街村党支部书记、村委会主任", "第41选区", "黄泥塘镇代表团", "13908571002", chen, ""],
        # 3 new: lowercase x and spaces inside the ID number, birth month 1980年5月
        [3, "杨秀英", "女", "彝", "1980年5月", "贵州毕节", "群众", "高中",
         "黄泥塘镇种养殖大户", "第42选区", "黄泥塘镇代表团", "139-0857-1003",
         f"{yang[:6]} {yang[6:14]} {yang[14:17]}{yang[17].lower()}", ""],
        # 4 new: full-width digits in the phone and the ID number, birth month 197208
        [4, "张志强", "男", "汉族", "197208", "贵州大方", "中共党员", "本科",
         "黄泥塘镇中心学校校长", "42", "黄泥塘镇代表团", "１３９０８５７１００４",
         zhang.translate(full_width), ""],
        # 5 new: birth month as a real Excel date, phone with dashes
        [5, "安　勇", "男", "穿青人", datetime.datetime(1985, 2, 20), "贵州大方", "无党派人士", "大学专科",
         "大方县黄泥塘镇天麻种植专业合作社理事长", "第43选区", "黄泥塘镇代表团", "139-0857-1005", an, ""],
        # 6 new: birth month as the number 197907
        [6, "龙春梅", "女", "苗族", 197907, "贵州大方", "中共党员", "中专",
         "黄泥塘镇黄泥塘社区居委会主任", "第43选区", "黄泥塘镇代表团", "13908571006", long_, ""],
        # 7 error: ID number typed into a number cell, so Excel rounded away its last digits
        [7, "罗　刚", "男", "彝族", "1970.01", "贵州大方", "中共党员", "高中",
         "黄泥塘镇农业服务中心职工", "第44选区", "黄泥塘镇代表团", "13908571007",
         float(rounded), ""],
        # 8 error: wrong check character
        [8, "陈海燕", "女", "汉族", "1966.06", "贵州大方", "中共党员", "大学本科",
         "黄泥塘镇人民政府镇长", "第44选区", "黄泥塘镇代表团", "13908571008", bad_check, ""],
        # 9 error: birth month not the one in the ID number
        [9, "杨建华", "男", "汉族", "1978.09", "贵州大方", "中共党员", "大专",
         "黄泥塘镇派出所所长", "第44选区", "黄泥塘镇代表团", "13908571009", wrong_birth, ""],
        # 10 error: no name
        [10, "", "女", "汉族", "1982.04", "贵州大方", "群众", "初中",
         "黄泥塘镇个体工商户", "第41选区", "黄泥塘镇代表团", "13908571010", nameless, ""],
        # 11 error: the same ID number as row 1
        [11, "罗敏", "女", "苗族", "1975.03", "贵州大方", "中共党员", "大学本科",
         "黄泥塘镇卫生院院长", "第41选区", "黄泥塘镇代表团", "13908571001", duplicate_of_first, "重复填报"],
        # 12 error: a constituency the county congress does not have
        [12, "吴永富", "男", "白族", "1983.07", "贵州大方", "中共党员", "高中",
         "黄泥塘镇运输专业户", "第199选区", "黄泥塘镇代表团", "13908571012", lost, ""],
    ]  # fmt: skip
    for row in rows[:6]:
        sheet.append(row)
    sheet.append([None] * len(header))  # a blank row in the middle, as pasted tables have
    for row in rows[6:]:
        sheet.append(row)
    sheet.append(["合计", None, None, None, None, None, None, None, None, None, None, None, "共12人"])
    sheet.append([])
    sheet.append(["填表人：罗燕　　　　审核人：张国华"])
    widths = [6, 10, 6, 8, 10, 10, 10, 10, 36, 10, 16, 16, 24, 10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width
    return workbook


if __name__ == "__main__":
    build().save(TARGET)
    print(f"wrote {TARGET.relative_to(HERE.parent.parent)}")
