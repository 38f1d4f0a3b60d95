"""Hand-computed after-sale cases: rows in the format of interfaces.md §4 (the JSON rows of the API)."""

from __future__ import annotations

from typing import Any

HEADERS = [
    "退款编号", "订单编号", "商品ID", "商家编码", "售后类型", "发货状态", "退款原因", "退款金额", "申请时间",
    "商家处理时间", "买家退货时间", "商家收货时间", "完结时间", "退款状态", "平台介入", "判责",
]  # fmt: skip


def record(
    refund_id: str,
    order_id: str,
    listing_id: str,
    kind: str,
    shipped: str,
    reason: str,
    requested: str,
    closed: str = "",
    status: str = "",
    intervened: str = "否",
    liability: str = "",
    handled: str = "",
    buyer_shipped: str = "",
    received: str = "",
    amount: str = "50.00",
) -> dict[str, Any]:
    return {
        "退款编号": refund_id,
        "订单编号": order_id,
        "商品ID": listing_id,
        "商家编码": "",
        "售后类型": kind,
        "发货状态": shipped,
        "退款原因": reason,
        "退款金额": amount,
        "申请时间": requested,
        "商家处理时间": handled,
        "买家退货时间": buyer_shipped,
        "商家收货时间": received,
        "完结时间": closed,
        "退款状态": status or ("处理中" if not closed else "退款成功"),
        "平台介入": intervened,
        "判责": liability,
    }


# The window for as-of 2026-11-01 (30 days, no lag): 2026-10-03 .. 2026-11-01, Asia/Shanghai.
AS_OF = "2026-11-01"
RECORDS = [
    # closed in the window, self-completed 仅退款 of 2 h
    record("R1", "O1", "L3", "仅退款", "未发货", "不想要了", "2026-10-05 10:00:00", "2026-10-05 12:00:00"),
    # platform intervened, seller responsible, 退款成功: the dispute (not self-completed, not in the durations)
    record("R2", "O2", "L1", "仅退款", "已发货", "质量问题", "2026-10-06 10:00:00", "2026-10-07 10:00:00",
           intervened="是", liability="卖家"),
    # 退货退款 of 96 h with its four stages 6 + 30 + 40 + 20
    record("R3", "O3", "L1", "退货退款", "已发货", "描述不符", "2026-10-08 00:00:00", "2026-10-12 00:00:00",
           handled="2026-10-08 06:00:00", buyer_shipped="2026-10-09 12:00:00", received="2026-10-11 04:00:00"),
    # intervened but the buyer was responsible: no dispute, not self-completed
    record("R4", "O4", "L2", "退货退款", "已发货", "质量问题", "2026-10-10 00:00:00", "2026-10-15 00:00:00",
           intervened="是", liability="买家"),
    # closed without a refund (退款关闭): closed and self-completed, 12 h
    record("R5", "O5", "L2", "仅退款", "已发货", "质量问题", "2026-10-20 08:00:00", "2026-10-20 20:00:00",
           status="退款关闭"),
    # open: no closed metric, but its order's first request is a quality one in the window
    record("R6", "O6", "L1", "仅退款", "已发货", "质量问题", "2026-10-25 09:00:00"),
    # before the window (asked and closed): nothing
    record("R7", "O7", "L1", "仅退款", "已发货", "质量问题", "2026-09-19 10:00:00", "2026-09-20 11:00:00"),
    # a second request on order O3: not its first, not counted again
    record("R8", "O3", "L1", "仅退款", "已发货", "质量问题", "2026-10-20 10:00:00"),
    # order O9: first request before the window (not about the goods), a quality one inside: not counted
    record("R9a", "O9", "L2", "仅退款", "已发货", "不想要了", "2026-09-25 10:00:00", "2026-09-26 10:00:00"),
    record("R9b", "O9", "L2", "仅退款", "已发货", "质量问题", "2026-10-10 10:00:00"),
    # asked before the window, closed inside it: counts as closed in the window, 28 h
    record("R10", "O10", "L3", "仅退款", "未发货", "不想要了", "2026-10-02 22:00:00", "2026-10-04 02:00:00"),
    # closed the day after the window: outside
    record("R11", "O11", "L3", "仅退款", "未发货", "不想要了", "2026-11-01 20:00:00", "2026-11-02 00:30:00"),
]  # fmt: skip

PAID_ORDERS = [
    {"日期": "2026-09-30", "支付订单数": 1000},  # outside the window
    {"日期": "2026-10-10", "支付订单数": 500},
    {"日期": "2026-10-20", "支付订单数": 500},
    # 10-25 has no shop row: the sum of its listings' rows counts (200)
    {"日期": "2026-10-25", "支付订单数": 100, "商品ID": "L1"},
    {"日期": "2026-10-25", "支付订单数": 100, "商品ID": "L2"},
]

# By hand: paid orders 500 + 500 + 200 = 1200; closed in the window R1 R2 R3 R4 R5 R10 = 6; disputes R2 = 1;
# self-completed R1 R3 R5 R10 = 4; 仅退款 hours (2 + 12 + 28) / 3 = 14; 退货退款 R3 only = 96;
# quality orders O2 O3 O4 O5 O6 = 5.
EXPECTED = {
    "dispute_refund_rate": 1 / 1200,
    "self_completion_rate": 4 / 6,
    "refund_only_completion_hours": 14.0,
    "return_refund_completion_hours": 96.0,
    "quality_refund_rate": 5 / 1200,
}
EXPECTED_STAGES = {"agree": 6.0, "buyer_ship": 30.0, "in_transit": 40.0, "inspect_and_refund": 20.0}
