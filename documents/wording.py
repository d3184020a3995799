"""What a letter cites and quotes, as the letter's language writes it.

The issuer hands the letter its law as codes (`law`: "Opinions Art. 8 ¶3", periods of so many days or months);
`law_words()` writes them as a letter does after the law's name: 第八条第三款 and 七 / Article 8, paragraph 3 and
seven. `quoted_reason()` drops from a quoted reason the opening the letter's own lead-in already says ("经审查，"
after "经审查，本局认为："), so that no letter reads 经审查，本局认为：经审查.
"""

from __future__ import annotations

import re

from procedure.basis import article_words, number_words

#: A reason's opening that only says the organ reviewed or investigated and finds: every letter's lead-in to a
#: quoted reason says it already. Only a whole opening, closed by its punctuation, is dropped.
_OPENINGS = (
    re.compile(r"^\s*(?:经(?:过)?(?:审查|侦查|调查|研究|核查|审核)(?:后)?\s*[，,]?\s*)?"
               r"(?:(?:本局|本院|我局|我院|本机关)?(?:认为|查明)\s*[，,：:]?|[，,：:])\s*"),
    re.compile(r"^\s*(?:(?:after|upon|on)\s+(?:review|investigation|examination)|having\s+(?:reviewed|investigated|"
               r"examined)(?:\s+(?:it|the\s+case|the\s+materials))?)"
               r"(?:\s*,\s*(?:(?:this|the|our)\s+(?:bureau|court|procuratorate|organ)|we)\s+(?:finds?|considers?|holds?)"
               r"(?:\s+that\s+|\s*[,:]\s*)|\s*[,:]\s*)",
               re.IGNORECASE),
)


def quoted_reason(text) -> str:
    """The reason as the letter quotes it: without an opening that repeats the letter's lead-in."""
    text = str(text or "").strip()
    for opening in _OPENINGS:
        rest = opening.sub("", text, count=1)
        if rest and rest != text:
            return rest[0].upper() + rest[1:] if opening is _OPENINGS[1] else rest
    return text


def _period_words(period: dict, language: str) -> dict:
    words = {key: number_words(period[key], language) for key in ("days", "months", "extended_days")
             if period.get(key)}
    words["basis"] = article_words(period.get("basis") or "", language)
    return words


def law_words(law: dict | None, language: str) -> dict:
    """The letter's `law` in words: each citation as its articles, each period's lengths and basis."""
    law = law or {}
    words = {key: article_words(value, language) for key, value in law.items() if isinstance(value, str)}
    words.update({key: value for key, value in law.items() if isinstance(value, bool)})
    words["periods"] = {kind: _period_words(period, language) for kind, period in (law.get("periods") or {}).items()}
    return words
