"""The bot's commands: one table for handlers, the Telegram menu, /help and the docs test."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMANDS", "BotCommandSpec"]


@dataclass(frozen=True)
class BotCommandSpec:
    """A command as users see it.

    Attributes:
        name: ASCII command name without the slash.
        description: Vietnamese menu description (≤ 256 characters).
        example: An example for /help.
        groups: Whether it is offered in group chats' menu too.

    """

    name: str
    description: str
    example: str
    groups: bool = True


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
    BotCommandSpec("quyen", "Phân quyền cập nhật (quản trị viên)", "/quyen", groups=False),
    BotCommandSpec("xacnhan", "Xác nhận nhiệm vụ hoàn thành (quản trị viên)", "/xacnhan 5.3"),
    BotCommandSpec(
        "tralai",
        "Trả lại nhiệm vụ báo hoàn thành, kèm lý do (quản trị viên)",
        "/tralai 5.3 thiếu quyết định ban hành",
    ),
    BotCommandSpec("imlang", "Xác nhận báo cáo ngắn (👍) trong nhóm: bật/tắt", "/imlang tat"),
    BotCommandSpec("tomtat", "Tóm tắt tiến độ ngay bây giờ", "/tomtat"),
    BotCommandSpec("bieudo", "Biểu đồ tiến độ", "/bieudo"),
    BotCommandSpec(
        "dangky", "Đăng ký nhận tóm tắt hằng ngày (quản trị viên)", "/dangky 07:30 T2-T6"
    ),
    BotCommandSpec("huydangky", "Hủy nhận tóm tắt", "/huydangky"),
    BotCommandSpec("help", "Hướng dẫn sử dụng", "/help"),
    BotCommandSpec("start", "Bắt đầu", "/start", groups=False),
)
