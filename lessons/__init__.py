"""Every sentence the user reads, in English and Chinese (terms from the project glossary)."""

from lessons.i18n import LANGS, t

__all__ = ["LANGS", "t"]
