"""Look up a user-visible sentence by key, in the user's language.

Each lesson keeps its sentences in its own module (`lessons/<lesson>.py`) as
`TEXT = {"key": ("English", "中文")}`; keys are prefixed with the lesson's name.
Chinese terms follow the project glossary: one term per idea.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGS = ("en", "zh")  # English, 中文


@lru_cache(maxsize=1)
def catalog() -> dict[str, tuple[str, str]]:
    """All sentences of all lesson modules, merged; a key defined twice is a bug."""
    import lessons

    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(lessons.__path__):
        if info.name == "i18n":
            continue
        module = importlib.import_module(f"lessons.{info.name}")
        for key, pair in getattr(module, "TEXT", {}).items():
            if key in merged:
                raise KeyError(f"Sentence key {key!r} is defined twice (second time in lessons/{info.name}.py).")
            merged[key] = pair
    return merged


def has(key: str) -> bool:
    return key in catalog()


def t(key: str, lang: str = "en", **params) -> str:
    """The sentence `key` in `lang` ("en" or "zh"), with `{params}` filled in."""
    en, zh = catalog()[key]
    text = zh if lang == "zh" else en
    return text.format(**params) if params else text
