"""Every sentence exists in both languages, fills the same blanks, and renders as intended."""

from __future__ import annotations

import string

import pytest
from markdown_it import MarkdownIt

from lessons import t
from lessons.i18n import catalog

KEYS = sorted(catalog())
NOT_GLOSSARY = ["令牌", "符元", "标记（token）", "自我注意"]  # the glossary says 词元, 自注意力


def fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", KEYS)
def test_both_languages_fill_the_same_blanks(key):
    en, zh = catalog()[key]
    assert zh.strip(), f"{key} has no Chinese"
    if key.startswith("error."):
        assert en == ""  # English comes from the exception itself
        return
    assert en.strip(), f"{key} has no English"
    assert fields(en) == fields(zh), f"{key}: {fields(en)} vs {fields(zh)}"


def test_bold_and_code_close_in_every_sentence():
    """CommonMark does not close `**` after full-width punctuation before a Chinese character."""
    md = MarkdownIt("commonmark")
    broken = []
    for key in KEYS:
        for text in catalog()[key]:
            html = md.render(text.replace("{", "(").replace("}", ")"))
            if "**" in html or "`" in html:
                broken.append((key, text[:60]))
    assert not broken


def test_chinese_follows_the_glossary():
    offenders = [(k, w) for k in KEYS for w in NOT_GLOSSARY if w in catalog()[k][1]]
    assert not offenders


def test_lookup_fills_parameters_and_falls_back_to_english():
    assert t("next_lesson", "zh", page="注意力") == "下一课：注意力"
    assert t("next_lesson", "en", page="Attention") == "Next lesson: Attention"
    assert t("next_lesson", "fr", page="X") == "Next lesson: X"
    with pytest.raises(KeyError):
        t("no.such.key")
