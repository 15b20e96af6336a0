"""The ten topic groups of thematic meetings, from seed 001 (section 3.2). Data, editable in the admin."""

from django.db import migrations

TOPICS = [
    ("ho-chi-minh", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (Kết luận 01-KL/TW, Chỉ thị 05-CT/TW); Kết luận 21-KL/TW"),
    ("suy-thoai", "Phòng, chống, khắc phục, sửa chữa biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, \"tự diễn biến\", \"tự chuyển hóa\" trong nội bộ"),
    ("xay-dung-chi-bo", "Xây dựng chi bộ, cơ quan, đơn vị vững mạnh; nông thôn mới, đô thị văn minh; thôn, bản, tổ dân phố văn hóa; giúp đỡ đảng viên khó khăn; đảng viên phụ trách hộ gia đình"),
    ("tham-nhung", "Đấu tranh phòng, chống tham nhũng, lãng phí, tiêu cực, quan liêu, xa dân, cá nhân chủ nghĩa và tệ nạn xã hội"),
    ("tuyen-truyen", "Tuyên truyền, triển khai chỉ thị, nghị quyết, quy định của Đảng, pháp luật của Nhà nước liên quan trực tiếp đến sự lãnh đạo của chi bộ"),
    ("chuyen-mon", "Nâng cao chất lượng, hiệu quả công tác chuyên môn của cơ quan, đơn vị, chi bộ; chất lượng nghiên cứu, tham mưu, xây dựng đề án, chương trình, kế hoạch"),
    ("truyen-thong", "Giáo dục truyền thống cách mạng, truyền thống của địa phương, cơ quan, đơn vị cho cán bộ, đảng viên, nhân dân"),
    ("van-de-phuc-tap", "Lãnh đạo, chỉ đạo của chi bộ giải quyết những vấn đề phức tạp nảy sinh trên địa bàn dân cư, cơ quan, đơn vị"),
    ("can-bo-dang-vien", "Đào tạo, bồi dưỡng nâng cao chất lượng cán bộ, đảng viên; tạo nguồn, bồi dưỡng kết nạp đảng; quản lý đảng viên"),
    ("khac", "Nội dung khác theo đặc điểm của từng loại hình chi bộ và định hướng của cấp ủy cấp trên"),
]


def add_topics(apps, schema_editor):
    ThematicTopic = apps.get_model("evaluations", "ThematicTopic")
    for order, (code, title) in enumerate(TOPICS, 1):
        ThematicTopic.objects.update_or_create(code=code, defaults={"title": title, "order": order})


def remove_topics(apps, schema_editor):
    apps.get_model("evaluations", "ThematicTopic").objects.filter(code__in=[c for c, _t in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_meetings")]
    operations = [migrations.RunPython(add_topics, remove_topics)]
