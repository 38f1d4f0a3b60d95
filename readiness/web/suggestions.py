"""Which scanner suggestions can be applied in one click.

Pure (no Django). A scanner's ``suggestion`` is either replacement wording ("优选、出色", "1斤", "安全，或写明检测
结果") or an instruction to the editor ("删除排名表述；确有数据的，写明来源…", "改为“X月X日前发货”…"). Only the
replacement words are offered as one-click fixes; an instruction is shown as advice.
"""

from __future__ import annotations

import re

# The part before these is the replacement; what follows is advice ("安全，或写明检测结果").
_ADVICE_BREAK = re.compile(r"[，,；;。]|或")
# Instructions, not wording.
_INSTRUCTION = re.compile(r"^(删除|去掉|改为|改成|注明|写明|标明|确认|统一|保留|如实|补充|按|以|不得|请|需|应)")
_QUOTES = re.compile(r"[“”\"'「」《》（）()]")
MAX_LENGTH = 20


def replacements(suggestion: str | None) -> list[str]:
    """The replacement words a suggestion offers, in order ([] when it is advice only)."""
    if not suggestion:
        return []
    head = _ADVICE_BREAK.split(suggestion.strip(), maxsplit=1)[0].strip()
    if not head or _INSTRUCTION.match(head) or _QUOTES.search(head):
        return []
    out = []
    for word in re.split(r"[、/|]", head):
        word = word.strip()
        if word and len(word) <= MAX_LENGTH and word not in out:
            out.append(word)
    return out


def replace_span(value: str, start: int, end: int, replacement: str) -> str:
    """``value`` with ``value[start:end]`` replaced (code-point offsets)."""
    if not 0 <= start <= end <= len(value):
        raise ValueError(f"span [{start}, {end}) is outside a value of length {len(value)}")
    return value[:start] + replacement + value[end:]
