"""The platforms a shop sells on and the kinds of rebate a listing can run: one list each for the app.

Pure (no Django): the bundle's types, the rule packs (one file per platform), the API's enums and the models'
choices all use these. The scanners keep their own set of platforms (the lexicon's platform-specific terms;
``scanners`` imports nothing of readiness); the system check ``readiness.E003`` refuses to start when the two
disagree, or when a platform has no rule pack, or when the models' choices differ from these lists.
"""

from __future__ import annotations

from typing import Literal, get_args

PlatformName = Literal["tmall", "taobao", "pdd", "jd", "douyin"]
PLATFORMS: tuple[str, ...] = get_args(PlatformName)

RebateKindName = Literal["review_cashback", "free_order", "ranking_cashback", "coupon", "full_reduction", "other"]
REBATE_KINDS: tuple[str, ...] = get_args(RebateKindName)

# Kinds of listing picture (interfaces.md §2); the scanner CLI checks the same three (scanners.image_files).
ImageKindName = Literal["main", "detail", "sku"]
IMAGE_KINDS: tuple[str, ...] = get_args(ImageKindName)
