"""Scanner benchmark: the full CLI against a raw Aho-Corasick yardstick over the same synthetic listings.

    .venv/bin/python bench/scan_bench.py                    # 100k listings (~80 MB of JSON Lines)
    .venv/bin/python bench/scan_bench.py --listings 5000    # a quick run

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


def generate(path: Path, n: int, seed: int = 11) -> int:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(_listing(rng, i), ensure_ascii=False) + "\n")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000, help="number of synthetic listings (default 100000)")
    parser.add_argument("--keep", type=Path, help="write the listings here and keep them")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each command's fastest run is shown (default 3)")
    args = parser.parse_args()
    python = sys.executable
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        data = args.keep or Path(tmp) / "listings.jsonl"
        t0 = time.perf_counter()
        size = generate(data, args.listings)
        print(f"generated {args.listings} listings, {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s: {data}")
        terms = yardstick_terms()
        load = os.getloadavg()[0]
        compiled = subprocess.run(
            [python, "-c", "import scanners; print(scanners.COMPILED)"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
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
        for _ in range(args.repeat):
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
            if args.listings <= 20_000
            else None
        )
    n = args.listings
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
    print(f"mypyc build of the scanners in use (scanners.COMPILED): {compiled}")
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


if __name__ == "__main__":
    main()
