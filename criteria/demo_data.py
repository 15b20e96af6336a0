"""The frameworks shipped with the demo data, written from the seeds and from common provincial practice.

Data, not gettext: the texts are the Vietnamese of the documents. Each framework names its basis.
A criterion row is ``(code, parent_code, title, max_points, options)``; options may hold ``key``,
``evidence``, ``cell_types``, ``org_levels``, ``unit``, ``comparator``, ``target``, ``settable``,
``guidance``. A level row is ``(code, label, rank, min_points, require_key_full, require_all_achieved,
needs_attention)``.
"""

from __future__ import annotations

MEETING_LEVELS = [
    ("tot", "Tốt", 1, 90, True, False, False),
    ("kha", "Khá", 2, 70, False, False, False),
    ("trung_binh", "Trung bình", 3, 50, False, False, True),
    ("kem", "Kém", 4, None, False, False, True),
]
PASS_FAIL_LEVELS = [
    ("dat", "Đạt", 1, None, True, True, False),
    ("khong_dat", "Không đạt", 2, None, False, False, True),
]
# Roll-up levels (WORKBOOK v2): (period, code, label, rank, min_meetings, all_at_least, count_level,
# min_count, min_average, basis). The year's Tốt is the rule the plans cite from Phú Thọ; the rest is
# sample data in the same shape, and says so.
ROLLUP_BASIS = (
    "Năm xếp loại Tốt khi mọi buổi sinh hoạt đạt Khá trở lên và ít nhất 7 buổi đạt Tốt (cách xếp loại của Tỉnh "
    "ủy Phú Thọ, nêu trong các kế hoạch); các mức còn lại và cách xếp loại quý là dữ liệu mẫu."
)
MEETING_ROLLUPS = [
    ("year", "tot", "Tốt", 1, None, "kha", "tot", 7, None, ROLLUP_BASIS),
    ("year", "kha", "Khá", 2, None, "trung_binh", "kha", 7, None, ROLLUP_BASIS),
    ("year", "trung_binh", "Trung bình", 3, None, None, "trung_binh", 6, None, ROLLUP_BASIS),
    ("year", "kem", "Kém", 4, None, None, None, None, None, ROLLUP_BASIS),
    ("quarter", "tot", "Tốt", 1, None, "kha", "tot", 2, None, ROLLUP_BASIS),
    ("quarter", "kha", "Khá", 2, None, "trung_binh", None, None, None, ROLLUP_BASIS),
    ("quarter", "trung_binh", "Trung bình", 3, None, None, "trung_binh", 2, None, ROLLUP_BASIS),
    ("quarter", "kem", "Kém", 4, None, None, None, None, None, ROLLUP_BASIS),
]
CELLS = ["cell", "grassroots_cell"]
GRASSROOTS = ["grassroots"]

MEETING_BASIS = (
    "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2018 của Ban Tổ chức Trung ương về một số vấn đề nâng cao chất lượng "
    "sinh hoạt chi bộ; Hướng dẫn số 01-HD/BTCTU ngày 12/10/2021 của Ban Tổ chức Tỉnh ủy. Thang điểm 100 và "
    "cách xếp loại theo thực tiễn chung của các tỉnh: Tốt từ 90 điểm và các tiêu chí then chốt đạt điểm tối đa; "
    "Khá từ 70 đến dưới 90; Trung bình từ 50 đến dưới 70; Kém dưới 50."
)

# Groups 4 and 5 are the same for regular and thematic meetings.
_PRINCIPLES_AND_RESULTS = [
    ("4", None, "Bảo đảm nguyên tắc tổ chức và sinh hoạt Đảng", None, {}),
    (
        "4.1",
        "4",
        "Thực hiện đúng nguyên tắc tập trung dân chủ, tự phê bình và phê bình; biểu quyết theo đa số",
        8,
        {"key": True},
    ),
    (
        "4.2",
        "4",
        "Bảo đảm tính lãnh đạo, tính giáo dục, tính chiến đấu trong sinh hoạt; giữ gìn đoàn kết nội bộ",
        7,
        {},
    ),
    ("5", None, "Kết quả thực hiện nghị quyết kỳ trước", None, {}),
    ("5.1", "5", "Các nhiệm vụ, chỉ tiêu nghị quyết kỳ trước đề ra được thực hiện đầy đủ, có hiệu quả", 12, {}),
    (
        "5.2",
        "5",
        "Kiểm điểm, đánh giá rõ việc thực hiện nhiệm vụ được phân công của từng đảng viên",
        8,
        {"evidence": True},
    ),
]

REGULAR_MEETING = {
    "code": "SH-TK-2024",
    "name": "Khung tiêu chí đánh giá chất lượng sinh hoạt chi bộ thường kỳ hằng tháng",
    "kind": "meeting",
    "meeting_kind": "regular",
    "org_levels": CELLS,
    "owner": "root",
    "valid_from_year": 2024,
    "basis": MEETING_BASIS,
    "criteria": [
        ("1", None, "Chấp hành chế độ sinh hoạt và tỷ lệ đảng viên dự sinh hoạt", None, {}),
        ("1.1", "1", "Sinh hoạt đúng định kỳ hằng tháng, đúng thời gian đã thông báo", 5, {"key": True}),
        ("1.2", "1", "Tỷ lệ đảng viên dự sinh hoạt đạt từ 90% trở lên; đảng viên vắng mặt có lý do", 5, {}),
        ("1.3", "1", "Thời gian sinh hoạt bảo đảm từ 90 phút trở lên", 5, {}),
        ("2", None, "Công tác chuẩn bị sinh hoạt", None, {}),
        (
            "2.1",
            "2",
            "Chi ủy (bí thư) họp chuẩn bị nội dung, dự thảo nghị quyết trước khi sinh hoạt",
            8,
            {"evidence": True},
        ),
        (
            "2.2",
            "2",
            "Nội dung sinh hoạt sát tình hình, có trọng tâm, trọng điểm, theo định hướng của cấp ủy cấp trên",
            7,
            {},
        ),
        ("2.3", "2", "Thông báo thời gian, địa điểm, nội dung sinh hoạt đến đảng viên trước", 5, {}),
        ("3", None, "Tổ chức, điều hành buổi sinh hoạt", None, {}),
        (
            "3.1",
            "3",
            "Thực hiện đúng quy trình sinh hoạt: đánh giá kết quả tháng, phương hướng nhiệm vụ, thảo luận, "
            "kết luận, biểu quyết",
            10,
            {"key": True},
        ),
        ("3.2", "3", "Chủ trì điều hành linh hoạt, dân chủ; đảng viên tích cực thảo luận, đóng góp ý kiến", 10, {}),
        ("3.3", "3", "Ra được nghị quyết (kết luận) ngắn gọn, dễ nhớ, dễ thực hiện, được biểu quyết thông qua", 5, {}),
        ("3.4", "3", "Biên bản ghi chép đầy đủ, đúng mẫu và lưu trữ theo quy định", 5, {"evidence": True}),
        *_PRINCIPLES_AND_RESULTS,
    ],
    "levels": MEETING_LEVELS,
    "rollups": MEETING_ROLLUPS,
}

THEMATIC_MEETING = {
    "code": "SH-CD-2024",
    "name": "Khung tiêu chí đánh giá chất lượng sinh hoạt chi bộ chuyên đề",
    "kind": "meeting",
    "meeting_kind": "thematic",
    "org_levels": CELLS,
    "owner": "root",
    "valid_from_year": 2024,
    "basis": MEETING_BASIS,
    "criteria": [
        ("1", None, "Chấp hành chế độ sinh hoạt chuyên đề và tỷ lệ đảng viên dự", None, {}),
        ("1.1", "1", "Sinh hoạt chuyên đề ít nhất một lần mỗi quý, đúng kế hoạch của chi bộ", 5, {"key": True}),
        ("1.2", "1", "Tỷ lệ đảng viên dự sinh hoạt đạt từ 90% trở lên; đảng viên vắng mặt có lý do", 5, {}),
        ("1.3", "1", "Dành đủ thời gian cho trình bày và thảo luận chuyên đề", 5, {}),
        ("2", None, "Công tác chuẩn bị sinh hoạt chuyên đề", None, {}),
        ("2.1", "2", "Lựa chọn chuyên đề thiết thực, thuộc các nhóm chủ đề theo hướng dẫn của cấp trên", 7, {}),
        (
            "2.2",
            "2",
            "Xây dựng đề cương, báo cáo chuyên đề và gửi trước cho đảng viên nghiên cứu",
            8,
            {"evidence": True},
        ),
        ("2.3", "2", "Mời cấp ủy cấp trên, báo cáo viên hoặc người có chuyên môn dự khi cần thiết", 5, {}),
        ("3", None, "Tổ chức, điều hành buổi sinh hoạt chuyên đề", None, {}),
        ("3.1", "3", "Trình bày chuyên đề rõ ràng, có trọng tâm, liên hệ thực tiễn của chi bộ", 10, {"key": True}),
        ("3.2", "3", "Đảng viên thảo luận sâu, liên hệ trách nhiệm bản thân", 10, {}),
        ("3.3", "3", "Kết luận, đề ra giải pháp hoặc nghị quyết chuyên đề cụ thể, khả thi", 5, {}),
        ("3.4", "3", "Biên bản ghi chép đầy đủ, đúng mẫu và lưu trữ theo quy định", 5, {"evidence": True}),
        *_PRINCIPLES_AND_RESULTS,
    ],
    "levels": MEETING_LEVELS,
}

FOUR_GOOD_BASIS = (
    "Kế hoạch của Ban Thường vụ Tỉnh ủy xây dựng “chi bộ bốn tốt”, “đảng bộ cơ sở bốn tốt”, thực hiện Chương "
    "trình số 30-CTr/TU ngày 15/11/2022 của Ban Chấp hành Đảng bộ tỉnh về thực hiện Nghị quyết số 21-NQ/TW ngày "
    "16/6/2022 của Ban Chấp hành Trung ương Đảng khoá XIII."
)

FOUR_GOOD = {
    "code": "4T-2023",
    "name": "Khung tiêu chí “chi bộ bốn tốt”, “đảng bộ cơ sở bốn tốt”",
    "kind": "four_good",
    "org_levels": [*CELLS, *GRASSROOTS],
    "owner": "root",
    "valid_from_year": 2023,
    "basis": FOUR_GOOD_BASIS,
    "description": "Mục tiêu: hằng năm có 90% trở lên chi bộ, đảng bộ cơ sở đạt “bốn tốt”.",
    "criteria": [
        ("1", None, "Hoàn thành tốt nhiệm vụ chính trị", None, {}),
        (
            "1.1",
            "1",
            "Lãnh đạo thực hiện tốt nhiệm vụ chính trị theo quy định của Điều lệ Đảng và quy định của Ban Bí thư "
            "về chức năng, nhiệm vụ của các loại hình tổ chức đảng ở cơ sở",
            None,
            {},
        ),
        (
            "1.2",
            "1",
            "Đảm bảo khung tiêu chuẩn mức chất lượng chi bộ, đảng bộ cơ sở hoàn thành tốt nhiệm vụ theo Quy định "
            "số 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị, Hướng dẫn số 21-HD/BTCTW ngày 18/10/2019 của Ban Tổ "
            "chức Trung ương và Hướng dẫn số 09-HD/TU ngày 06/12/2019 của Ban Thường vụ Tỉnh ủy",
            None,
            {"key": True, "evidence": True},
        ),
        ("2", None, "Chất lượng sinh hoạt tốt", None, {}),
        ("2.1", "2", "Khung chất lượng sinh hoạt chi bộ tốt", None, {"org_levels": CELLS}),
        (
            "2.1.1",
            "2.1",
            "Chấp hành chế độ sinh hoạt chi bộ thường lệ, sinh hoạt chuyên đề theo quy định của Điều lệ Đảng, "
            "Hướng dẫn của Ban Tổ chức Trung ương và Hướng dẫn của Ban Tổ chức Tỉnh ủy",
            None,
            {},
        ),
        (
            "2.1.2",
            "2.1",
            "Đảm bảo sinh hoạt chi bộ tốt theo khung tiêu chí đánh giá chất lượng sinh hoạt chi bộ tốt tại "
            "Hướng dẫn số 01-HD/BTCTU ngày 12/10/2021 của Ban Tổ chức Tỉnh ủy",
            None,
            {},
        ),
        ("2.2", "2", "Khung chất lượng sinh hoạt đảng ủy, đảng bộ cơ sở tốt", None, {"org_levels": GRASSROOTS}),
        ("2.2.1", "2.2", "Khung chất lượng sinh hoạt đảng ủy cơ sở tốt", None, {}),
        (
            "2.2.1.1",
            "2.2.1",
            "Chấp hành chế độ, quy trình sinh hoạt theo quy định của Điều lệ Đảng (họp thường trực, ban thường vụ "
            "trước khi họp đảng ủy), nguyên tắc tổ chức sinh hoạt Đảng",
            None,
            {},
        ),
        (
            "2.2.1.2",
            "2.2.1",
            "Nội dung sinh hoạt được chuẩn bị đầy đủ, kỹ lưỡng, chất lượng và gửi tài liệu cho đảng ủy viên "
            "trước 03 ngày để nghiên cứu, chuẩn bị ý kiến phát biểu thảo luận",
            None,
            {},
        ),
        (
            "2.2.1.3",
            "2.2.1",
            "Thực hiện đầy đủ nội dung, trình tự, chương trình cuộc họp đã được thông qua; công tác tổ chức điều "
            "hành sinh hoạt linh hoạt, phù hợp với tình hình thực tế của đảng ủy",
            None,
            {},
        ),
        (
            "2.2.1.4",
            "2.2.1",
            "Thực hiện đúng nguyên tắc tập trung dân chủ, tự phê bình và phê bình; bảo đảm tính lãnh đạo, tính "
            "giáo dục, tính chiến đấu trong sinh hoạt Đảng",
            None,
            {},
        ),
        (
            "2.2.1.5",
            "2.2.1",
            "Ban hành được văn bản lãnh đạo, chỉ đạo toàn diện nhiệm vụ chính trị phù hợp với đặc điểm của từng "
            "loại hình tổ chức cơ sở đảng và yêu cầu tình hình thực tiễn đặt ra",
            None,
            {},
        ),
        ("2.2.1.6", "2.2.1", "Ghi chép biên bản cuộc họp đầy đủ và lưu trữ theo quy định", None, {"evidence": True}),
        ("2.2.2", "2.2", "Khung chất lượng sinh hoạt đảng bộ cơ sở tốt", None, {}),
        ("2.2.2.1", "2.2.2", "Chấp hành nghiêm chế độ sinh hoạt 1 năm ít nhất 2 lần theo quy định", None, {}),
        ("2.2.2.2", "2.2.2", "Nội dung sinh hoạt được chuẩn bị kỹ lưỡng, đầy đủ theo quy định", None, {}),
        ("2.2.2.3", "2.2.2", "Thực hiện đầy đủ nội dung, trình tự, chương trình cuộc họp đã được thông qua", None, {}),
        (
            "2.2.2.4",
            "2.2.2",
            "Thực hiện đúng nguyên tắc tập trung dân chủ, tự phê bình và phê bình, sự đoàn kết, thống nhất trong Đảng",
            None,
            {},
        ),
        ("2.2.2.5", "2.2.2", "Đảm bảo tính lãnh đạo, tính giáo dục, tính chiến đấu", None, {}),
        ("3", None, "Đoàn kết tốt, kỷ luật tốt", None, {}),
        (
            "3.1",
            "3",
            "Đoàn kết, thống nhất về tư tưởng và hành động trên cơ sở Cương lĩnh chính trị, Điều lệ Đảng, các "
            "quy định của Đảng và pháp luật của Nhà nước",
            None,
            {},
        ),
        (
            "3.2",
            "3",
            "Chấp hành tốt các chủ trương, đường lối, quy định của Đảng, pháp luật của Nhà nước, quy chế, nội quy "
            "của tổ chức, cơ quan, đơn vị, địa phương nơi mình là thành viên và sinh sống",
            None,
            {},
        ),
        (
            "3.3",
            "3",
            "Thương yêu, chân thành giúp đỡ đồng chí, đồng nghiệp trong công tác và trong cuộc sống",
            None,
            {},
        ),
        ("4", None, "Cán bộ, đảng viên tốt", None, {}),
        (
            "4.1",
            "4",
            "Thực hiện tốt chức trách, nhiệm vụ của người cán bộ, đảng viên theo Điều lệ Đảng, các quy định của "
            "Đảng và pháp luật của Nhà nước",
            None,
            {},
        ),
        (
            "4.2",
            "4",
            "Đảm bảo khung tiêu chuẩn mức chất lượng đảng viên hoàn thành tốt nhiệm vụ theo Quy định số "
            "132-QĐ/TW và Hướng dẫn số 21-HD/BTCTW; tiêu chí xếp loại cán bộ, công chức, viên chức ở mức hoàn "
            "thành tốt nhiệm vụ theo quy định của Nhà nước",
            None,
            {},
        ),
    ],
    "levels": PASS_FAIL_LEVELS,
}

GRASSROOTS_MEETING_BASIS = (
    "Mục 2.2 Kế hoạch của Ban Thường vụ Tỉnh ủy xây dựng “chi bộ bốn tốt”, “đảng bộ cơ sở bốn tốt” (Chương "
    "trình số 30-CTr/TU ngày 15/11/2022)."
)

COMMITTEE_MEETING = {
    "code": "SH-DUCS-2023",
    "name": "Khung chất lượng sinh hoạt đảng ủy cơ sở tốt (6 tiêu chí)",
    "kind": "meeting",
    "meeting_kind": "committee",
    "org_levels": GRASSROOTS,
    "owner": "root",
    "valid_from_year": 2023,
    "basis": GRASSROOTS_MEETING_BASIS + " Mục 2.2.1.",
    "criteria": [
        (str(n), None, title, None, {"evidence": n == 6})
        for n, title in enumerate(
            [
                "Chấp hành chế độ, quy trình sinh hoạt theo quy định của Điều lệ Đảng (họp thường trực, ban "
                "thường vụ trước khi họp đảng ủy), nguyên tắc tổ chức sinh hoạt Đảng",
                "Nội dung sinh hoạt được chuẩn bị đầy đủ, kỹ lưỡng, chất lượng và gửi tài liệu cho đảng ủy viên "
                "trước 03 ngày để nghiên cứu, chuẩn bị ý kiến phát biểu thảo luận",
                "Thực hiện đầy đủ nội dung, trình tự, chương trình cuộc họp đã được thông qua; công tác tổ chức "
                "điều hành sinh hoạt linh hoạt, phù hợp với tình hình thực tế của đảng ủy",
                "Thực hiện đúng nguyên tắc tập trung dân chủ, tự phê bình và phê bình; bảo đảm tính lãnh đạo, "
                "tính giáo dục, tính chiến đấu trong sinh hoạt Đảng",
                "Ban hành được văn bản lãnh đạo, chỉ đạo toàn diện nhiệm vụ chính trị phù hợp với đặc điểm của "
                "từng loại hình tổ chức cơ sở đảng và yêu cầu tình hình thực tiễn đặt ra",
                "Ghi chép biên bản cuộc họp đầy đủ và lưu trữ theo quy định",
            ],
            start=1,
        )
    ],
    "levels": [
        ("dat", "Sinh hoạt tốt", 1, None, False, True, False),
        ("khong_dat", "Chưa tốt", 2, None, False, False, True),
    ],
}

ORGANIZATION_MEETING = {
    "code": "SH-DBCS-2023",
    "name": "Khung chất lượng sinh hoạt đảng bộ cơ sở tốt (5 tiêu chí)",
    "kind": "meeting",
    "meeting_kind": "organization",
    "org_levels": GRASSROOTS,
    "owner": "root",
    "valid_from_year": 2023,
    "basis": GRASSROOTS_MEETING_BASIS + " Mục 2.2.2.",
    "criteria": [
        (str(n), None, title, None, {})
        for n, title in enumerate(
            [
                "Chấp hành nghiêm chế độ sinh hoạt 1 năm ít nhất 2 lần theo quy định",
                "Nội dung sinh hoạt được chuẩn bị kỹ lưỡng, đầy đủ theo quy định",
                "Thực hiện đầy đủ nội dung, trình tự, chương trình cuộc họp đã được thông qua",
                "Thực hiện đúng nguyên tắc tập trung dân chủ, tự phê bình và phê bình, sự đoàn kết, thống nhất "
                "trong Đảng",
                "Đảm bảo tính lãnh đạo, tính giáo dục, tính chiến đấu",
            ],
            start=1,
        )
    ],
    "levels": [
        ("dat", "Sinh hoạt tốt", 1, None, False, True, False),
        ("khong_dat", "Chưa tốt", 2, None, False, False, True),
    ],
}

SCHOOL_FOUR_GOOD = {
    "code": "4T-THCSBT-2024",
    "name": "Kế hoạch xây dựng mô hình “Chi bộ bốn tốt” Chi bộ Trường THCS Lê Hồng Phong năm 2024",
    "generic_name": "Kế hoạch xây dựng mô hình “Chi bộ bốn tốt” năm 2024",
    "kind": "four_good",
    "org_levels": CELLS,
    "owner": "school",
    "parent": "4T-2023",
    "valid_from_year": 2024,
    "basis": (
        "Kế hoạch số 13-KH/CB ngày 02/5/2024 của Chi bộ Trường Trung học cơ sở Lê Hồng Phong, căn cứ Hướng dẫn "
        "số 01-HD/TU ngày 05/9/2023 của Thành ủy Yên Bái. Chi bộ đạt “bốn tốt” khi hoàn thành tốt cả bốn tiêu chí; "
        "không đạt nếu một tiêu chí không đạt hoặc xếp loại cuối năm từ “Hoàn thành nhiệm vụ” trở xuống."
    ),
    "criteria": [
        ("1.3", "1", "Các chỉ tiêu về giáo dục", None, {}),
        (
            "1.3.1",
            "1.3",
            "Tỷ lệ học sinh bỏ học",
            None,
            {"unit": "%", "comparator": "<", "target": "1.0", "settable": True},
        ),
        (
            "1.3.2",
            "1.3",
            "Tỷ lệ học sinh lưu ban",
            None,
            {"unit": "%", "comparator": "<", "target": "0.4", "settable": True},
        ),
        (
            "1.3.3",
            "1.3",
            "Tỷ lệ học sinh lên lớp thẳng",
            None,
            {"unit": "%", "comparator": ">=", "target": "98.0", "settable": True},
        ),
        (
            "1.3.4",
            "1.3",
            "Tỷ lệ học sinh tốt nghiệp THCS",
            None,
            {"unit": "%", "comparator": "=", "target": "100.0", "settable": True},
        ),
        (
            "1.3.5",
            "1.3",
            "Hiệu suất đào tạo",
            None,
            {"unit": "%", "comparator": ">=", "target": "91.0", "settable": True},
        ),
        (
            "1.3.6",
            "1.3",
            "Tỷ lệ học sinh vào lớp 10 công lập",
            None,
            {"unit": "%", "comparator": ">", "target": "68.0", "settable": True},
        ),
        (
            "1.3.7",
            "1.3",
            "Tỷ lệ học sinh biết bơi",
            None,
            {"unit": "%", "comparator": ">=", "target": "55.0", "settable": True},
        ),
        ("1.4", "1", "Các chỉ tiêu về xây dựng đảng và hệ thống chính trị", None, {}),
        (
            "1.4.1",
            "1.4",
            "Tỷ lệ đảng viên tham gia học tập, quán triệt, nghiên cứu Nghị quyết, Chỉ thị của Đảng",
            None,
            {"unit": "%", "comparator": ">=", "target": "98.0"},
        ),
        ("1.4.2", "1.4", "Kết nạp đảng viên mới", None, {"unit": "đảng viên", "comparator": ">=", "target": "6"}),
        ("1.4.3", "1.4", "Chi bộ đạt hoàn thành tốt nhiệm vụ trở lên", None, {"key": True, "evidence": True}),
        (
            "1.4.4",
            "1.4",
            "Người đứng đầu cấp ủy, chính quyền có cam kết và thực hiện tốt trách nhiệm nêu gương theo Quy định số "
            "101-QĐ/TW, Quy định số 55-QĐ/TW và Quy định số 08-QĐ/TW",
            None,
            {},
        ),
        (
            "1.4.5",
            "1.4",
            "Tỷ lệ đảng viên được kiểm tra, giám sát về việc thực hiện các thông báo, kết luận sau kiểm tra, giám "
            "sát của cấp ủy, Ủy ban kiểm tra các cấp",
            None,
            {"unit": "%", "comparator": ">=", "target": "100.0"},
        ),
        (
            "2.3",
            "2",
            "Sinh hoạt chi bộ hằng tháng được đánh giá mức độ tốt theo Hướng dẫn số 12-HD/BTCTW, Hướng dẫn số "
            "02-HD/TU và Nghị quyết số 22-NQ/QU",
            None,
            {},
        ),
        ("3.4", "3", "Không có đảng viên vi phạm Quy định những điều đảng viên không được làm", None, {}),
        (
            "4.3",
            "4",
            "Mỗi đảng viên, nhất là đảng viên giữ chức vụ lãnh đạo, quản lý, bí thư chi bộ nêu cao vai trò tiên "
            "phong, gương mẫu; làm tốt công tác phát triển đảng viên",
            None,
            {},
        ),
    ],
    "levels": [],
}

FIVE_GOOD = {
    "code": "5T-DHYD-2022",
    "name": "Khung tiêu chí mô hình “Chi bộ 5 tốt” Đảng bộ Trường Cao đẳng Y tế Yên Bái",
    "generic_name": "Khung tiêu chí mô hình “Chi bộ 5 tốt”",
    "kind": "five_good",
    "org_levels": CELLS,
    "owner": "university",
    "valid_from_year": 2022,
    "basis": (
        "Kế hoạch số 183-KH/ĐU ngày 31/5/2022 của Ban Thường vụ Đảng ủy Trường Cao đẳng Y tế Yên Bái triển "
        "khai Đề án số 02-ĐA/TU ngày 20/4/2022 của Ban Thường vụ Tỉnh ủy về xây dựng mô hình chi bộ kiểu mẫu "
        "trong các loại hình chi bộ giai đoạn 2022-2025."
    ),
    "description": (
        "05 tiêu chí: 02 tiêu chí đối với chi bộ chung cho tất cả các loại hình; 03 tiêu chí về đảng viên (02 "
        "tiêu chí chung, 01 tiêu chí riêng theo loại hình chi bộ). Chi bộ có thể bổ sung tiêu chí phù hợp."
    ),
    "criteria": [
        ("1", None, "Tốt về chất lượng sinh hoạt chi bộ", None, {}),
        (
            "1.1",
            "1",
            "Sinh hoạt chi bộ thường kỳ, chuyên đề nền nếp, nội dung thiết thực; bảo đảm tính lãnh đạo, tính giáo "
            "dục, tính chiến đấu",
            None,
            {},
        ),
        ("2", None, "Tốt về lãnh đạo thực hiện nhiệm vụ chính trị", None, {}),
        (
            "2.1",
            "2",
            "Lãnh đạo đơn vị hoàn thành tốt nhiệm vụ chính trị; chi bộ được xếp loại hoàn thành tốt nhiệm vụ trở lên",
            None,
            {"key": True, "evidence": True},
        ),
        ("3", None, "Đảng viên tốt về tư tưởng chính trị, phẩm chất đạo đức, lối sống", None, {}),
        (
            "3.1",
            "3",
            "100% đảng viên chấp hành nghiêm chủ trương của Đảng, pháp luật của Nhà nước; không có đảng viên vi "
            "phạm phải xử lý kỷ luật",
            None,
            {},
        ),
        ("4", None, "Đảng viên tốt về ý thức tổ chức kỷ luật và tinh thần trách nhiệm", None, {}),
        (
            "4.1",
            "4",
            "Đảng viên tham gia đầy đủ sinh hoạt chi bộ, thực hiện tốt nhiệm vụ được phân công; 100% đảng viên "
            "hoàn thành nhiệm vụ trở lên",
            None,
            {},
        ),
        ("5", None, "Đảng viên tốt trong thực hiện nhiệm vụ đặc thù của loại hình chi bộ", None, {}),
        (
            "5.1",
            "5",
            "Chi bộ khoa, bộ môn: đảng viên tốt về giảng dạy, nghiên cứu khoa học và khám chữa bệnh",
            None,
            {"cell_types": ["public_service"]},
        ),
        (
            "5.2",
            "5",
            "Chi bộ phòng, ban: đảng viên tốt về thực thi nhiệm vụ, cải cách hành chính, phục vụ người học",
            None,
            {"cell_types": ["administrative"]},
        ),
        (
            "5.3",
            "5",
            "Chi bộ sinh viên: đảng viên tốt về học tập, rèn luyện, kết quả học tập từ khá trở lên",
            None,
            {"cell_types": ["other"]},
        ),
    ],
    "levels": PASS_FAIL_LEVELS,
}

MODEL_CELL = {
    "code": "KM-07-2022",
    "name": "Tiêu chí chấm điểm chi bộ kiểu mẫu (thang điểm 100)",
    "kind": "model",
    "org_levels": CELLS,
    "owner": "root",
    "valid_from_year": 2022,
    "basis": (
        "Đề án số 07-ĐA/TU ngày 28/02/2022 của Tỉnh ủy Yên Bái về xây dựng chi bộ kiểu mẫu trong Đảng bộ tỉnh "
        "Yên Bái, giai đoạn 2022 - 2025. Đạt chi bộ kiểu mẫu: từ 90 điểm trở lên và các tiêu chí then chốt đạt "
        "điểm tối đa."
    ),
    "criteria": [
        ("1", None, "Lãnh đạo thực hiện nhiệm vụ chính trị", None, {}),
        (
            "1.1",
            "1",
            "Lãnh đạo hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ chính trị của năm",
            15,
            {"key": True, "evidence": True},
        ),
        ("1.2", "1", "Cụ thể hóa nghị quyết của cấp trên bằng chương trình, kế hoạch sát với thực tế", 10, {}),
        ("1.3", "1", "Có mô hình, cách làm hay, sáng tạo được cấp trên ghi nhận, nhân rộng", 5, {}),
        ("2", None, "Chất lượng sinh hoạt chi bộ", None, {}),
        (
            "2.1",
            "2",
            "Sinh hoạt chi bộ thường kỳ đúng định kỳ; các kỳ sinh hoạt được đánh giá chất lượng tốt",
            10,
            {"key": True},
        ),
        ("2.2", "2", "Sinh hoạt chuyên đề ít nhất một lần mỗi quý, nội dung thiết thực", 10, {}),
        ("2.3", "2", "Tỷ lệ đảng viên dự sinh hoạt bình quân đạt từ 95% trở lên", 5, {}),
        ("3", None, "Xây dựng đội ngũ cấp ủy, đảng viên", None, {}),
        ("3.1", "3", "Chi ủy, bí thư chi bộ đủ số lượng, đoàn kết, gương mẫu, có uy tín", 10, {}),
        (
            "3.2",
            "3",
            "Không có đảng viên xếp loại không hoàn thành nhiệm vụ; có đảng viên hoàn thành xuất sắc nhiệm vụ",
            10,
            {},
        ),
        ("3.3", "3", "Làm tốt công tác phát triển đảng viên", 5, {}),
        ("4", None, "Công tác kiểm tra, giám sát và kỷ luật đảng", None, {}),
        ("4.1", "4", "Thực hiện đầy đủ kế hoạch kiểm tra, giám sát của chi bộ", 5, {"evidence": True}),
        ("4.2", "4", "Không có đảng viên vi phạm phải xử lý kỷ luật", 5, {}),
        ("5", None, "Quan hệ với nhân dân, lãnh đạo các đoàn thể", None, {}),
        ("5.1", "5", "Các đoàn thể do chi bộ lãnh đạo được đánh giá hoàn thành tốt nhiệm vụ trở lên", 5, {}),
        ("5.2", "5", "Nhân dân tin tưởng; không có đơn thư khiếu nại vượt cấp, kéo dài", 5, {}),
    ],
    "levels": [
        ("dat", "Đạt chi bộ kiểu mẫu", 1, 90, True, False, False),
        ("khong_dat", "Không đạt", 2, None, False, False, True),
    ],
}

CITY_MODEL_CELL = {
    "code": "KM-TPYB-2024",
    "name": "Tiêu chí chi bộ kiểu mẫu thuộc Đảng bộ thành phố Yên Bái",
    "generic_name": "Tiêu chí chi bộ kiểu mẫu, bổ sung của cấp huyện",
    "kind": "model",
    "org_levels": CELLS,
    "owner": "district",
    "parent": "KM-07-2022",
    "valid_from_year": 2024,
    "basis": (
        "Quy định số 06-QĐ/TU ngày 31/3/2022 của Ban Thường vụ Thành ủy Yên Bái sửa đổi, bổ sung một số nội "
        "dung, tiêu chí xây dựng chi bộ kiểu mẫu; Kế hoạch số 252-KH/TU ngày 30/01/2024 của Ban Thường vụ Thành "
        "ủy."
    ),
    "criteria": [
        ("6", None, "Điều kiện bổ sung của Thành ủy", None, {}),
        ("6.1", "6", "Chi bộ được xếp loại hoàn thành tốt nhiệm vụ trở lên năm liền trước", None, {"evidence": True}),
        (
            "6.2",
            "6",
            "Nhà văn hóa thôn, tổ dân phố có đủ trang thiết bị phục vụ sinh hoạt chi bộ (bàn ghế, tăng âm, loa "
            "đài, wifi)",
            None,
            {"cell_types": ["residential"]},
        ),
    ],
    "levels": [
        ("dat", "Đạt chi bộ kiểu mẫu", 1, 90, True, True, False),
    ],
}

# In creation order: a derived framework comes after the one it derives from.
DEMO_FRAMEWORKS = [
    REGULAR_MEETING,
    THEMATIC_MEETING,
    FOUR_GOOD,
    COMMITTEE_MEETING,
    ORGANIZATION_MEETING,
    SCHOOL_FOUR_GOOD,
    FIVE_GOOD,
    MODEL_CELL,
    CITY_MODEL_CELL,
]
