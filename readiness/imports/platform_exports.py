"""The platforms' own catalogue files, recognised by their header row and read without a column mapping.

Pure: no Django. :func:`recognise` takes the :class:`~readiness.imports.spreadsheet.Table` read from an upload;
when its headers match a format of :data:`FORMATS` it returns the rows in the spreadsheet's own fields (商品ID,
商品标题, SKU编码, 价格, 库存 …) with a fixed mapping, so they go through ``spreadsheet.apply_table`` and the
bundle validation like any sheet. A file no format matches keeps the per-shop column mapping.

Sources of the header rows (public material, checked December 2026):

- 淘宝助理 CSV: line 1 ``version 1.00``, line 2 the English keys (title, cid, … skuProps, … outer_id, propAlias,
  num_id …), line 3 the Chinese headers (宝贝名称, 宝贝类目, … 宝贝价格, 宝贝数量, … 放入仓库, … 宝贝描述, …
  销售属性组合, … 商家编码, 销售属性别名, … 数字ID, … 宝贝卖点, … 发货时效, 预售时间 …), as written by the
  open-source exporters that produce files for 淘宝助理 to upload (several public repositories write the same
  80 columns). ``skuProps`` (销售属性组合) is ``price:quantity:sku_outer_id:pid:vid;pid:vid;…`` per SKU, and
  ``propAlias`` (销售属性别名) ``pid:vid:name;``. GBK as 淘宝助理 saves it, or UTF-8.
- 千牛 商品导出 (卖家中心 → 商品管理 → 导出): 商品ID, 商品标题, 价格, 库存, 商家编码, 宝贝状态 (出售中, 仓库中 …),
  as the issue's operations notes give it; 类目 when exported.
- 拼多多 商家后台 商品导出 CSV: 商品ID, 商品名称, 商品分类, 商品状态, SKUID, SKU编码, SKU属性, SKU库存, 拼单价,
  单买价, 商品参考价, SKU状态, 商家编码 — the columns a public PDD catalogue reader checks for (it requires 商品ID,
  商品名称, 商品状态 and SKU状态) and reads, in UTF-8, GB18030 or GBK.
- 京东: no public copy of the 京东商家后台 product export's header row was found, so it is not recognised; its files
  go through the column mapping (商品编号 and 商品名称 are known header words there).

Items off the shelf (淘宝/千牛 仓库中, 已下架 …) are not on sale: they are left out of the import, and one the shop
already has is archived like any listing a new catalogue no longer has (the model's notion of "not on sale").
The operator sees a note for each (row, id, status), since leaving rows out silently would look like a bug.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from readiness.imports.spreadsheet import MAX_ROWS, CatalogueError, RowIssue, Table, gettext_noop

# The fields the normalised rows carry, in this order (keys of ``spreadsheet.FIELDS``).
_ORDER = (
    "listing_id",
    "title",
    "subtitle",
    "description",
    "category",
    "presale",
    "ship_by",
    "sku_code",
    "sku_name",
    "price",
    "list_price",
    "stock",
)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One platform export: the headers that identify it, and the meaning of its columns."""

    key: str
    label: str  # Chinese, marked for translation
    platform: str  # a ``Platform`` code
    signature: tuple[str, ...]  # headers that all appear in this format's header row
    # field key -> the headers that hold it, the first non-empty cell of a row wins
    columns: Mapping[str, tuple[str, ...]]
    # headers whose value says an item (or, for sku_status, an SKU) is off the shelf
    status: tuple[str, ...] = ()
    sku_status: tuple[str, ...] = ()
    off_shelf: frozenset[str] = frozenset()
    # 淘宝助理's 销售属性组合 + 销售属性别名 carry the SKUs inside one row
    sku_combo: tuple[str, str] | None = None
    html_description: bool = False
    status_labels: Mapping[str, str] = field(default_factory=dict)  # a status code as people say it
    preamble: str | None = None  # first cell of line 1 of the file (淘宝助理: "version 1.00")


_OFF_SHELF = frozenset({"仓库中", "已下架", "下架", "未上架", "违规下架", "已删除", "instock"})

TAOBAO_ASSISTANT = ExportFormat(
    key="taobao_assistant",
    label=gettext_noop("淘宝助理 CSV"),
    platform="taobao",
    signature=("宝贝名称", "宝贝价格", "宝贝数量", "销售属性组合"),
    columns={
        "listing_id": ("数字ID", "商家编码"),
        "title": ("宝贝名称",),
        "subtitle": ("宝贝卖点",),
        "description": ("宝贝描述",),
        "sku_code": ("商家编码",),
        "price": ("宝贝价格",),
        "stock": ("宝贝数量",),
        "ship_by": ("预售时间",),
    },
    status=("放入仓库",),
    off_shelf=frozenset({"1", *_OFF_SHELF}),
    sku_combo=("销售属性组合", "销售属性别名"),
    html_description=True,
    status_labels={"1": "仓库中"},
    preamble="version",
)

QIANNIU = ExportFormat(
    key="qianniu",
    label=gettext_noop("千牛商品导出"),
    platform="taobao",
    signature=("商品ID", "商品标题", "价格", "库存", "宝贝状态"),
    columns={
        "listing_id": ("商品ID",),
        "title": ("商品标题",),
        "category": ("类目", "商品类目", "叶子类目"),
        "sku_code": ("SKU编码", "商家编码"),
        "sku_name": ("SKU名称", "销售属性"),
        "price": ("价格",),
        "stock": ("库存",),
    },
    status=("宝贝状态",),
    off_shelf=_OFF_SHELF,
)

PINDUODUO = ExportFormat(
    key="pinduoduo",
    label=gettext_noop("拼多多商品导出"),
    platform="pdd",
    signature=("商品ID", "商品名称", "商品状态", "SKU状态"),
    columns={
        "listing_id": ("商品ID",),
        "title": ("商品名称",),
        "category": ("商品分类",),
        "sku_code": ("SKU编码", "SKUID"),
        "sku_name": ("SKU属性",),
        "price": ("拼单价", "单买价"),
        "stock": ("SKU库存",),
    },
    status=("商品状态",),
    sku_status=("SKU状态",),
    off_shelf=_OFF_SHELF,
)

FORMATS: tuple[ExportFormat, ...] = (TAOBAO_ASSISTANT, QIANNIU, PINDUODUO)


@dataclass(slots=True)
class Recognised:
    """A platform export read without a mapping: rows in the spreadsheet's fields, and what was left out."""

    format: ExportFormat
    table: Table
    mapping: list[str]
    off_shelf: list[str] = field(default_factory=list)  # listing ids not on sale
    notes: list[RowIssue] = field(default_factory=list)


def recognise(table: Table) -> Recognised | None:
    """The platform export ``table`` is, normalised; None when no format matches (the mapping applies)."""
    table = _unwrap_preamble(table)
    headers = set(table.headers)
    for export in FORMATS:
        if all(h in headers for h in export.signature):
            return _normalise(export, table)
    return None


def _unwrap_preamble(table: Table) -> Table:
    """淘宝助理: line 1 ``version 1.00``, line 2 English keys, line 3 the Chinese headers; the data follows."""
    first = table.headers[0].lower() if table.headers else ""
    if not first.startswith("version") or len(table.rows) < 2:
        return table
    chinese = table.rows[1][1]
    headers = tuple("" if v is None else str(v).strip() for v in chinese)
    return Table(headers=headers, rows=table.rows[2:])


def _cell(values: Sequence[Any], index: dict[str, int], headers: tuple[str, ...]) -> tuple[Any, str | None]:
    for header in headers:
        i = index.get(header)
        if i is None or i >= len(values):
            continue
        value = values[i]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if header == "数字ID" and str(value).strip() in ("0", "0.0"):  # not yet published: no item id
            continue
        return value, header
    return None, None


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?>", re.IGNORECASE)


def _html_text(value: Any) -> str:
    text = _BREAK.sub("\n", str(value))
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# 销售属性组合: per SKU "price:quantity:outer_id:" then "pid:vid;" pairs.
_SKU_PROPS = re.compile(r"(?P<price>\d+(?:\.\d+)?):(?P<stock>\d+):(?P<code>[^:;]*):(?P<props>(?:\d+:-?\d+;)+)")
_ALIAS = re.compile(r"(\d+:-?\d+):([^;]*);")


def _sku_combos(combo: str, aliases: str) -> list[tuple[str, str, str, str]]:
    """(code, name, price, stock) of each SKU of 淘宝助理's 销售属性组合 (names from 销售属性别名)."""
    names = {m[1]: m[2].strip() for m in _ALIAS.finditer(aliases or "")}
    out = []
    for match in _SKU_PROPS.finditer(combo.replace(" ", "")):
        props = [p for p in match["props"].split(";") if p]
        name = " ".join(names.get(p, p) for p in props)
        out.append((match["code"], name, match["price"], match["stock"]))
    return out


def _normalise(export: ExportFormat, table: Table) -> Recognised:
    index: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        index.setdefault(header, i)
    keys = [k for k in _ORDER if any(h in index for h in export.columns.get(k, ()))]
    combo_index = index.get(export.sku_combo[0]) if export.sku_combo else None
    if combo_index is not None:
        keys = [*keys, *(k for k in ("sku_code", "sku_name", "price", "stock") if k not in keys)]
        keys = [k for k in _ORDER if k in keys]
    if "ship_by" in keys:
        keys.insert(keys.index("ship_by"), "presale")
    header_of = {k: next((h for h in export.columns.get(k, ()) if h in index), k) for k in keys}
    if combo_index is not None:
        for k in ("sku_code", "sku_name"):
            header_of[k] = export.sku_combo[0] if export.sku_combo else k
    header_of["presale"] = header_of.get("ship_by", "presale")
    result = Recognised(format=export, table=table, mapping=list(keys))
    rows: list[tuple[int, tuple[Any, ...]]] = []
    listing_rows: dict[str, list[bool]] = {}  # listing id -> on sale, per row
    for number, values in table.rows:
        cells: dict[str, Any] = {}
        for key in keys:
            value, _header = _cell(values, index, export.columns.get(key, ()))
            if value is not None:
                cells[key] = value
        listing_id = _text(cells.get("listing_id"))
        status, status_header = _cell(values, index, export.status)
        sku_status, sku_status_header = _cell(values, index, export.sku_status)
        off = _text(status) in export.off_shelf
        sku_off = _text(sku_status) in export.off_shelf
        if listing_id:
            listing_rows.setdefault(listing_id, []).append(not off)
        if off or sku_off:
            result.notes.append(
                RowIssue(
                    number,
                    status_header if off else sku_status_header,
                    gettext_noop("商品 {listing} 状态为“{status}”，不在售：未导入，不计入在售商品"),
                    {"listing": listing_id or "—", "status": _status_label(export, status if off else sku_status)},
                )
            )
            continue
        if export.html_description and "description" in cells:
            cells["description"] = _html_text(cells["description"])
        if "ship_by" in cells:
            # 预售时间 holds a date for a presale item; anything else (0, a count of days) names no ship date
            if re.match(r"\d{4}", _text(cells["ship_by"])) or hasattr(cells["ship_by"], "year"):
                cells["presale"] = "是"
            else:
                del cells["ship_by"]
        combos = []
        if combo_index is not None and combo_index < len(values) and values[combo_index]:
            alias_index = index.get(export.sku_combo[1]) if export.sku_combo else None
            aliases = values[alias_index] if alias_index is not None and alias_index < len(values) else ""
            combos = _sku_combos(str(values[combo_index]), str(aliases or ""))
        if len(rows) + len(combos) > MAX_ROWS:  # one cell can name many SKUs: bound what is held
            raise CatalogueError(
                [RowIssue(number, None, gettext_noop("表格超过 {limit} 行，请分批导入"), {"limit": MAX_ROWS})]
            )
        if combos:
            for n, (code, name, price, stock) in enumerate(combos, start=1):
                sku = dict(cells, sku_code=code or f"{listing_id}-{n}", sku_name=name, price=price, stock=stock)
                rows.append((number, tuple(sku.get(k) for k in keys)))
        else:
            rows.append((number, tuple(cells.get(k) for k in keys)))
    result.off_shelf = [lid for lid, on_sale in listing_rows.items() if not any(on_sale)]
    headers = tuple(header_of[k] for k in keys)
    result.table = Table(headers=headers, rows=tuple(rows))
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _status_label(export: ExportFormat, value: Any) -> str:
    text = _text(value)
    return export.status_labels.get(text, text)
