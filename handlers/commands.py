"""The bot's commands: one table for handlers, the Telegram menu, /help and the docs test."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BOARD_COMMAND", "COMMANDS", "BotCommandSpec"]


@dataclass(frozen=True)
class BotCommandSpec:
    """A command as users see it.

    Attributes:
        name: ASCII command name without the slash.
        description: Vietnamese menu description (≤ 256 characters).
        example: An example for /help.
        groups: Whether it is offered in group chats' menu too.
        admin: Only admins see it in their menu (see :mod:`handlers.menus`).

    """

    name: str
    description: str
    example: str
    groups: bool = True
    admin: bool = False


COMMANDS: tuple[BotCommandSpec, ...] = (
    BotCommandSpec("hoi", "Hỏi về Chương trình hành động", "/hoi ai chủ trì đề án chuyển đổi số"),
    BotCommandSpec(
        "chitieu", "Chỉ tiêu chủ yếu (theo lĩnh vực hoặc từ khóa)", "/chitieu che phủ rừng"
    ),
    BotCommandSpec("nhiemvu", "Nhiệm vụ trong Phụ lục (theo mã hoặc từ khóa)", "/nhiemvu 5.3"),
    BotCommandSpec(
        "coquan", "Cơ quan chủ trì những gì, trách nhiệm ra sao", "/coquan Ban Tuyên giáo"
    ),
    BotCommandSpec(
        "capnhat", "Cập nhật tiến độ nhiệm vụ, chỉ tiêu", "/capnhat 5.3 60% đã ban hành"
    ),
    BotCommandSpec("tiendo", "Xem tiến độ (tổng hợp, theo mã, theo cơ quan)", "/tiendo 5.3"),
    BotCommandSpec("quyen", "Phân quyền cập nhật (quản trị viên)", "/quyen", admin=True),
    BotCommandSpec(
        "moi",
        "Tạo liên kết mời người báo cáo (quản trị viên)",
        "/moi Ban Tuyên giáo Tỉnh ủy",
        groups=False,
        admin=True,
    ),
    BotCommandSpec(
        "ngaylam",
        "Ngày làm bù, ngày nghỉ thêm; hạn nhắc (quản trị viên)",
        "/ngaylam 2027-02-20",
        groups=False,
        admin=True,
    ),
    BotCommandSpec("baocao", "Báo cáo định kỳ (tháng, quý, 6 tháng, năm) ra Excel", "/baocao quý"),
    BotCommandSpec(
        "xacnhan", "Xác nhận nhiệm vụ hoàn thành (quản trị viên)", "/xacnhan 5.3", admin=True
    ),
    BotCommandSpec(
        "tralai",
        "Trả lại nhiệm vụ báo hoàn thành, kèm lý do (quản trị viên)",
        "/tralai 5.3 thiếu quyết định ban hành",
        admin=True,
    ),
    BotCommandSpec("imlang", "Xác nhận báo cáo ngắn (👍) trong nhóm: bật/tắt", "/imlang tat"),
    BotCommandSpec("tomtat", "Tóm tắt tiến độ ngay bây giờ", "/tomtat"),
    BotCommandSpec("bieudo", "Biểu đồ tiến độ", "/bieudo"),
    BotCommandSpec("vanban", "Các văn bản đang tra cứu; chọn văn bản mặc định", "/vanban"),
    BotCommandSpec(
        "dangky", "Đăng ký nhận tóm tắt hằng ngày (quản trị viên)", "/dangky 07:30 T2-T6"
    ),
    BotCommandSpec("huydangky", "Hủy nhận tóm tắt", "/huydangky"),
    BotCommandSpec("help", "Hướng dẫn sử dụng", "/help"),
    BotCommandSpec("start", "Bắt đầu", "/start", groups=False),
)

# Handled only when the progress board is on (CTBOT_WEB_LISTEN/CTBOT_WEB_URL). Not in COMMANDS
# (menus, /help) until README documents it: tests/test_bot.py checks every registered command.
BOARD_COMMAND = BotCommandSpec(
    "bang", "Bảng tiến độ trong Telegram (tin nhắn riêng)", "/bang", groups=False
)
