"""Scanner benchmark: the full CLI against a raw Aho-Corasick yardstick over the same synthetic listings.

    .venv/bin/python bench/scan_bench.py                    # 100k listings of each corpus (~80 MB of JSON Lines each)
    .venv/bin/python bench/scan_bench.py --listings 5000    # a quick run
    .venv/bin/python bench/scan_bench.py --corpus unique    # only the corpus of unique sentences

Two corpora: *repeated* (every sentence drawn from a few dozen, as the scanner's memo tables like it) and
*unique* (real JD titles and generated copy in which no sentence repeats); ``--corpus both`` (the default)
measures each in turn.

Every side runs as a child process reading the same file and writing to /dev/null:

- the yardstick: read each line, ``json.loads``, run one automaton of a few hundred raw terms over the title
  and the description, write one JSON line per hit;
- the scanner: ``python -m scanners scan FILE --jobs 1`` (wording and spec scanners, JSON Lines out, one
  process), the same with ``SCANNERS_PURE=1`` (the .py modules, not the mypyc build: see scanners/_native.py)
  and ``--jobs 0`` (one worker process per CPU);
- the wording scanners alone, in one process, to show the split.

The commands run in turn, ``--repeat`` rounds (default 3), and each command's fastest run is reported: on a
shared machine other work only adds time. Prints wall time, CPU time and peak memory of that run, children
included: the ``wait4`` rusage of a child
covers the grandchildren it has waited for (the pool workers), as ``RUSAGE_CHILDREN`` does, so CPU is the
sum over the process tree and the peak RSS that of its largest process; the peak memory of the whole tree
(PSS, shared pages split between the processes that share them) is sampled from /proc every 50 ms. Then
the ratios to the yardstick. Target: scanner <= 2x the yardstick (at most 5x). A benchmark, not a test:
nothing here fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

YARDSTICK = r"""
import json, sys, ahocorasick
terms = json.loads(sys.argv[2])
A = ahocorasick.Automaton()
for i, t in enumerate(terms):
    A.add_word(t, (i, len(t)))
A.make_automaton()
out = sys.stdout
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        obj = json.loads(line)
        lid = obj.get("id")
        for field in ("title", "description"):
            text = obj.get(field) or ""
            for end, (i, n) in A.iter(text):
                out.write(json.dumps({"listing_id": lid, "field": field, "start": end - n + 1,
                                      "end": end + 1, "text": terms[i]}, ensure_ascii=False) + "\n")
"""

# The CLI's loop (same JSON library) with the spec scanner left out, to show what the wording scanners cost
# on their own.
WORDING_ONLY = r"""
import sys, orjson
from scanners.listing import scan_listing_wording
out = sys.stdout
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        for f in scan_listing_wording(orjson.loads(line)):
            out.write(orjson.dumps(f.to_dict(), option=orjson.OPT_APPEND_NEWLINE).decode())
"""

PRODUCTS = [
    ("food", "坚果礼盒", "净含量", ["500g", "1kg", "750克", "2斤"]),
    ("food", "红枣枸杞茶", "净含量", ["250g", "300克", "0.5kg"]),
    ("food", "纯牛奶", "容量", ["250ml*12盒", "1L", "200毫升*24"]),
    ("food", "东北大米", "重量", ["5kg", "10斤", "2.5千克"]),
    ("cosmetics", "保湿面霜", "净含量", ["50g", "30ml", "100毫升"]),
    ("cosmetics", "氨基酸洗面奶", "净含量", ["120g", "100ml"]),
    ("apparel", "羊羔毛外套", "尺码", ["S", "M", "L", "XL"]),
    ("apparel", "纯棉T恤", "面料", ["100%棉", "95%棉5%氨纶"]),
    ("home", "保温杯", "容量", ["500ml", "0.75L", "1000毫升"]),
    ("home", "收纳箱", "容量", ["30L", "55升", "100L"]),
    ("appliance", "电热水壶", "功率", ["1800W", "2200W", "1.5kW"]),
    ("electronics", "充电宝", "容量", ["10000mAh", "20000mAh", "37Wh"]),
    ("electronics", "电视", "屏幕尺寸", ["55英寸", "65寸", "75英寸"]),
]
# Ordinary selling text. Most sentences contain no term at all; a few contain ordinary words that start a
# term (第一次, 最近, 好评) so that the context rules run as often as they would on real pages.
NEUTRAL = [
    "采用优质原料，口感细腻，适合全家人食用。",
    "保质期12个月，请存放于阴凉干燥处，避免阳光直射。",
    "面料柔软亲肤，做工精细，版型宽松显瘦，百搭又好看。",
    "七天无理由退换，运费险保障，下单后48小时内发货。",
    "尺码偏小，建议拍大一码；颜色以实物为准。",
    "额定电压220V，使用前请仔细阅读说明书，注意用电安全。",
    "独立包装，干净卫生，方便携带，办公室出行都适用。",
    "本店所有商品均为正品，支持专柜验货。",
    "产品图片为实物拍摄，因显示器不同可能略有色差。",
    "多种规格可选，满99元包邮，偏远地区除外。",
    "精选新疆长绒棉，吸湿透气，四季可用。",
    "加厚材质，耐摔耐磨，边角圆润不伤手。",
    "配料：小麦粉、白砂糖、鸡蛋、植物油、食用盐。",
    "大容量设计，可以装下日常所需的物品。",
    "一键操作，简单方便，老人小孩都会用。",
    "包装采用环保材料，可回收再利用。",
    "支持货到付款，签收前请检查外包装是否完好。",
    "整机质保一年，全国联保，售后无忧。",
    "颜色有黑白灰三种可选，搭配更随心。",
    "冷藏保存风味更佳，开封后请密封保存。",
    "适用于客厅、卧室、书房等多种场景。",
    "静音设计，夜间使用也不会打扰家人休息。",
    "收到商品后如有任何疑问，请联系在线客服。",
    "可机洗，不起球，不掉色，洗后不变形。",
]
TRIGGERS = [
    "如有任何问题，请第一时间联系客服，我们会尽力为您处理。",
    "最近很多顾客问到发货时间，请以物流信息为准。",
    "第一次使用请先清洗，开封后最好三天内吃完。",
    "感谢您的好评与支持，欢迎再次光临本店。",
    "最大承重150kg，结构稳固。",
    "面料成分：100%棉。",
]
VIOLATIONS = [
    "全网最低价，错过再等一年！",
    "销量第一，品质保证，送礼首选。",
    "顶级工艺，极致体验，行业领先。",
    "好评返现5元，晒图再送小礼品。",
    "这款茶能降血压、降血糖，坚持饮用效果明显。",
    "原价999元，现价只要199元。",
    "國家級品質，最 佳選擇。",
    "ＮＯ．１爆款，zuijia口感。",
    "美白祛斑，一抹就白，无副作用。",
    "2024年双11京东自营销量第一。",
]


def _listing(rng: random.Random, i: int) -> dict[str, object]:
    kind, noun, spec_name, values = rng.choice(PRODUCTS)
    value = rng.choice(values)
    parts = rng.sample(NEUTRAL, 7)
    if rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts)), rng.choice(TRIGGERS))
    if rng.random() < 0.2:
        parts.insert(rng.randrange(len(parts)), rng.choice(VIOLATIONS))
    title_extra = rng.choice(["", " 2024新款", " 官方正品", " 顺丰包邮", " 加厚款", " 大容量", " 家用款", " 送礼首选"])
    listing: dict[str, object] = {
        "id": f"L{i}",
        "category": kind,
        "title": f"{noun} {value}{title_extra} 家用 礼盒装 品质保证 {rng.randint(1, 99)}号",
        "description": "".join(parts),
        "specs": {spec_name: value, "产地": rng.choice(["浙江", "山东", "广东", "新疆"]), "保质期": "12个月"},
        "skus": [{"code": f"L{i}-1", "name": f"{value} 标准装"}, {"code": f"L{i}-2", "name": f"{value}*2 家庭装"}],
    }
    if rng.random() < 0.6:
        listing["specs"]["重量"] = rng.choice(["500g", "1.2kg", "2斤", "350克"])  # type: ignore[index]
    if rng.random() < 0.1:
        listing["presale"] = {
            "enabled": True,
            "ship_by": "2026-11-15",
            "label": rng.choice(["预售 11月15日前发货", "预售 尽快发货"]),
        }
    return listing


# -- the corpus of unique sentences ------------------------------------------------------------------------
# The repeated corpus above draws every sentence from a few dozen, which the scanner's memo tables exploit
# (real shops do repeat their footers and spec values, but not that much). The unique corpus repeats no
# sentence: titles are real JD titles (shared/data/real, evaluation data read from there, never copied
# into the repo), each with a generated tail once they run out, and descriptions are generated copy whose
# every sentence is new (slots filled from word lists and numbers; a set rejects any repeat). The same
# triggers and violations as above are spliced into unique sentences at the same rates.
# shared/ sits beside the repository (a worktree is one level further down).
REAL_TITLES = (
    next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
    / "data"
    / "real"
    / "jd_titles.jsonl"
)
_ADJ = "轻薄 柔软 耐用 精致 简约 复古 时尚 加厚 防水 透气 静音 便携 小巧 大气 清新 厚实 细腻 顺滑 结实 稳固 保暖 清爽 亲肤 低噪 省电 速干 防滑 抗皱 易清洗 可折叠".split()
_NOUN = "收纳盒 保温杯 双肩包 床单 枕头 台灯 插线板 牙刷 毛巾 拖鞋 衬衫 卫衣 围巾 手套 茶杯 饭盒 砧板 炒锅 水壶 雨伞 书架 鼠标 键盘 耳机 充电器 数据线 手机壳 钥匙扣 香薰 地垫 窗帘 衣架 抱枕 笔记本 文件夹 马克杯 保鲜盒 洗衣袋 晾衣架 靠垫".split()
_FEATURE = "续航 容量 长度 宽度 重量 厚度 功率 承重 尺寸 口径 高度 转速 亮度 温度 直径 线长 电压 频率 色温 风速".split()
_UNIT = "小时 ml 厘米 mm 克 W kg cm 升 毫米 转 流明 度 米 V Hz K 档 分钟 个".split()
_PLACE = "杭州 义乌 广州 深圳 苏州 宁波 泉州 青岛 成都 武汉 厦门 东莞 佛山 温州 南通 天津 合肥 长沙 郑州 昆明".split()
_WHO = "上班族 学生党 宝妈 老人 小朋友 情侣 新手 户外爱好者 办公室白领 租房党 旅行者 健身人群".split()
_PLACE_USE = "卧室 客厅 厨房 阳台 浴室 办公室 车内 宿舍 书房 露营地 玄关 餐厅".split()
_COLOUR = "黑色 白色 灰色 米白 浅蓝 墨绿 酒红 卡其 粉色 藏青 奶油黄 雾霾蓝".split()


def _unique_sentence(rng: random.Random, seen: set[str]) -> str:
    while True:
        form = rng.randrange(4)
        if form == 0:
            s = f"{rng.choice(_PLACE)}工厂直供的{rng.choice(_ADJ)}{rng.choice(_NOUN)}，{rng.choice(_FEATURE)}约{rng.randint(2, 999)}{rng.choice(_UNIT)}。"
        elif form == 1:
            s = f"适合{rng.choice(_WHO)}在{rng.choice(_PLACE_USE)}使用，{rng.choice(_ADJ)}又{rng.choice(_ADJ)}，{rng.choice(_COLOUR)}款现有{rng.randint(2, 500)}件。"
        elif form == 2:
            s = f"{rng.choice(_NOUN)}的{rng.choice(_FEATURE)}为{rng.randint(1, 99)}.{rng.randint(0, 9)}{rng.choice(_UNIT)}，搭配{rng.choice(_COLOUR)}{rng.choice(_NOUN)}更{rng.choice(_ADJ)}。"
        else:
            s = f"第{rng.randint(2, 40)}代{rng.choice(_ADJ)}设计，{rng.choice(_PLACE)}仓{rng.randint(1, 72)}小时内发出，{rng.choice(_WHO)}回购{rng.randint(2, 90)}次。"
        if s not in seen:
            seen.add(s)
            return s


def _splice(rng: random.Random, phrase: str, seen: set[str]) -> str:
    """A trigger or violation inside a sentence of its own that no other listing has."""
    lead = _unique_sentence(rng, seen).rstrip("。")
    return f"{lead}，{phrase}"


def _real_titles() -> list[str]:
    try:
        with REAL_TITLES.open(encoding="utf-8") as fh:
            return [json.loads(line)["title"] for line in fh if line.strip()]
    except OSError:
        return []


def _unique_listing(rng: random.Random, i: int, titles: list[str], seen: set[str]) -> dict[str, object]:
    kind, noun, spec_name, values = rng.choice(PRODUCTS)
    value = rng.choice(values)
    parts = [_unique_sentence(rng, seen) for _ in range(7)]
    if rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts)), _splice(rng, rng.choice(TRIGGERS), seen))
    if rng.random() < 0.2:
        parts.insert(rng.randrange(len(parts)), _splice(rng, rng.choice(VIOLATIONS), seen))
    if i < len(titles):
        title = titles[i]
    else:
        base = titles[i % len(titles)] if titles else noun
        title = f"{base} {rng.choice(_COLOUR)} {rng.choice(_ADJ)}{rng.choice(_NOUN)} {rng.randint(10, 9999)}款"
    listing: dict[str, object] = {
        "id": f"U{i}",
        "category": kind,
        "title": title,
        "description": "".join(parts),
        "specs": {spec_name: value, "产地": rng.choice(_PLACE), "保质期": f"{rng.randint(3, 36)}个月"},
        "skus": [
            {"code": f"U{i}-1", "name": f"{value} {rng.choice(_COLOUR)} {i}号"},
            {"code": f"U{i}-2", "name": f"{value}*2 {rng.choice(_COLOUR)} {i}号"},
        ],
    }
    if rng.random() < 0.1:
        listing["presale"] = {
            "enabled": True,
            "ship_by": "2026-11-15",
            "label": f"预售 11月{rng.randint(10, 20)}日前发货 第{i}批",
        }
    return listing


def generate(path: Path, n: int, seed: int = 11, corpus: str = "repeated") -> int:
    rng = random.Random(seed)
    titles = _real_titles() if corpus == "unique" else []
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            listing = _unique_listing(rng, i, titles, seen) if corpus == "unique" else _listing(rng, i)
            fh.write(json.dumps(listing, ensure_ascii=False) + "\n")
    return path.stat().st_size


def yardstick_terms(limit: int = 400) -> list[str]:
    """A few hundred raw terms of the built-in lexicon, as they are written."""
    sys.path.insert(0, str(ROOT))
    from scanners import default_lexicon
    from scanners.terms import Role

    terms = sorted({t.text for t in default_lexicon().terms if t.role is Role.TERM and len(t.text) > 1})
    random.Random(5).shuffle(terms)
    return terms[:limit]


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: int  # the largest process of the tree (wait4 / RUSAGE_CHILDREN)
    tree_mib: int | None  # the whole tree, sampled (None where /proc is not available)
    code: int


def _tree_pss_kib(pid: int) -> int:
    """PSS of ``pid`` and its descendants (kB); shared copy-on-write pages are split, not counted twice."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue  # gone, or no such file on this kernel
    return total


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall and CPU seconds, peak memory and exit code of one child process and its own children.

    CPU time is reported too because the development machine is shared: wall time moves with the load of
    other work, CPU time much less.
    """
    peak_tree = 0
    done = threading.Event()

    def sample(pid: int) -> None:
        nonlocal peak_tree
        while not done.wait(0.05):
            peak_tree = max(peak_tree, _tree_pss_kib(pid))

    with open(os.devnull, "w") as devnull:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=devnull, cwd=ROOT, env=env)
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        done.set()
        sampler.join()
    return Run(
        elapsed,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss // 1024,
        peak_tree // 1024 if peak_tree else None,
        os.waitstatus_to_exitcode(status),
    )


def measure(data: Path, n: int, repeat: int, python: str, terms: list[str], cpus: int) -> None:
    """Run every command over ``data`` in turn, ``repeat`` rounds, and print each one's fastest run."""
    load = os.getloadavg()[0]
    commands: list[tuple[list[str], dict[str, str] | None]] = [
        ([python, "-c", YARDSTICK, str(data), json.dumps(terms, ensure_ascii=False)], None),
        ([python, "-m", "scanners", "scan", str(data), "--jobs", "1"], None),
        ([python, "-m", "scanners", "scan", str(data), "--jobs", "1"], {**os.environ, "SCANNERS_PURE": "1"}),
        ([python, "-m", "scanners", "scan", str(data), "--jobs", "0"], None),
        ([python, "-c", WORDING_ONLY, str(data)], None),
    ]
    # Rounds of every command in turn, keeping each command's fastest run: other work on a shared
    # machine only ever adds time, and taking turns spreads it over all commands alike.
    best: list[Run | None] = [None] * len(commands)
    for _ in range(repeat):
        for i, (cmd, env) in enumerate(commands):
            r = run(cmd, env)
            current = best[i]
            best[i] = r if current is None or r.wall < current.wall else current
    yard, scan1, pure, scan0, word = (r for r in best if r is not None)
    load_after = os.getloadavg()[0]
    count = (
        subprocess.run(
            [python, "-m", "scanners", "scan", str(data)], cwd=ROOT, capture_output=True, check=False
        ).stdout.count(b"\n")
        if n <= 20_000
        else None
    )
    print(f"{'':46s} {'wall':>8s} {'cpu':>8s} {'cpu/listing':>12s} {'peak RSS':>9s} {'tree PSS':>9s}")
    for label, r in (
        (f"yardstick ({len(terms)} raw terms, title+description)", yard),
        (f"scanner CLI --jobs 1, exit {scan1.code}", scan1),
        (f"scanner CLI --jobs 1 pure Python, exit {pure.code}", pure),
        (f"scanner CLI --jobs 0 ({cpus} workers), exit {scan0.code}", scan0),
        ("wording scanners only (no spec scanner)", word),
    ):
        tree = f"{r.tree_mib:5d} MiB" if r.tree_mib is not None else "      n/a"
        print(f"{label:46s} {r.wall:7.2f}s {r.cpu:7.2f}s {r.cpu / n * 1e6:9.0f} us {r.peak_mib:5d} MiB {tree}")
    for label, r in (
        ("--jobs 1", scan1),
        ("--jobs 1 pure Python", pure),
        (f"--jobs 0 ({cpus} workers)", scan0),
        ("wording only", word),
    ):
        print(f"ratio {label} / yardstick: wall {r.wall / yard.wall:.2f}x, cpu {r.cpu / yard.cpu:.2f}x")
    print(f"load average (1 min) before / after the runs: {load:.2f} / {load_after:.2f} on {os.cpu_count()} CPUs")
    if count is not None:
        print(f"findings: {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000, help="number of synthetic listings (default 100000)")
    parser.add_argument("--keep", type=Path, help="write the listings into this folder and keep them")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each command's fastest run is shown (default 3)")
    parser.add_argument(
        "--corpus",
        choices=("repeated", "unique", "both"),
        default="both",
        help="sentences drawn from a few dozen (repeated), none repeated (unique), or both (default)",
    )
    args = parser.parse_args()
    python = sys.executable
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    terms = yardstick_terms()
    compiled = subprocess.run(
        [python, "-c", "import scanners; print(scanners.COMPILED)"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(f"mypyc build of the scanners in use (scanners.COMPILED): {compiled}")
    corpora = ("repeated", "unique") if args.corpus == "both" else (args.corpus,)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for corpus in corpora:
            data = folder / f"listings-{corpus}.jsonl"
            t0 = time.perf_counter()
            size = generate(data, args.listings, corpus=corpus)
            print()
            print(
                f"== {corpus} corpus: {args.listings} listings, {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s"
            )
            measure(data, args.listings, args.repeat, python, terms, cpus)


if __name__ == "__main__":
    main()
