"""Read a date back from one of TinyDates' forms (training/dates.py): which form it is, and which date.

    read("the 3rd of March, 1921")   # Reading(year=1921, month=3, day=3, form="the_dth_of_month_y")
    read("一九二一年三月三日")          # Reading(1921, 3, 3, "zh_numerals")
    read("1750年3月3日")               # Reading(1750, 3, 3, "zh_arabic"): a known form, a year outside the task
    read("3/3/1921")                 # None: not one of the forms

The lesson uses it to say whether a typed date is one the model was trained on: a known form, a year in range,
a date held out of training.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from training.dates import FIRST, LAST, MONTHS, MONTHS_SHORT, ZH_DIGITS, ordinal

_MONTH = "|".join(MONTHS)
_SHORT = "|".join(MONTHS_SHORT)
_ZH = f"[{ZH_DIGITS}十]+"
# form → its pattern, with named groups y, m (a number or a month's name) and d
PATTERNS = {
    "d_month_y": rf"(?P<d>\d{{1,2}}) (?P<m>{_MONTH}) (?P<y>\d{{4}})",
    "month_d_y": rf"(?P<m>{_MONTH}) (?P<d>\d{{1,2}}), (?P<y>\d{{4}})",
    "the_dth_of_month_y": rf"the (?P<d>\d{{1,2}})(?P<o>st|nd|rd|th) of (?P<m>{_MONTH}), (?P<y>\d{{4}})",
    "dth_month_y": rf"(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th) (?P<m>{_MONTH}) (?P<y>\d{{4}})",
    "mon_d_y": rf"(?P<m>{_SHORT}) (?P<d>\d{{1,2}}) (?P<y>\d{{4}})",
    "zh_arabic": r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日",
    "zh_numerals": rf"(?P<y>[{ZH_DIGITS}]{{4}})年(?P<m>{_ZH})月(?P<d>{_ZH})日",
}


@dataclass(frozen=True)
class Reading:
    year: int
    month: int
    day: int
    form: str

    @property
    def in_range(self) -> bool:
        """A real date within the years the model learned."""
        return self.date is not None and FIRST <= self.date <= LAST

    @property
    def date(self) -> date | None:
        try:
            return date(self.year, self.month, self.day)
        except ValueError:  # 30 February
            return None


def _zh_number(text: str) -> int:
    """十 → 10, 十三 → 13, 二十 → 20, 二十三 → 23; 三 → 3."""
    if "十" not in text:
        return ZH_DIGITS.index(text) if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    return (ZH_DIGITS.index(tens) if tens else 1) * 10 + (ZH_DIGITS.index(ones) if ones else 0)


def _number(text: str, form: str) -> int:
    if text in MONTHS:
        return MONTHS.index(text) + 1
    if text in MONTHS_SHORT:
        return MONTHS_SHORT.index(text) + 1
    if form == "zh_numerals":
        return int("".join(str(ZH_DIGITS.index(c)) for c in text)) if len(text) == 4 else _zh_number(text)
    return int(text)


def read(text: str) -> Reading | None:
    """The form and the date `text` writes, if it is written exactly as one of the forms; else None."""
    text = text.strip()
    for form, pattern in PATTERNS.items():
        match = re.fullmatch(pattern, text)
        if match is None:
            continue
        try:
            day, month, year = (_number(match[k], form) for k in ("d", "m", "y"))
        except ValueError:  # 二二十 and the like: not a number the form writes
            continue
        if match.groupdict().get("o") and match["o"] != ordinal(day)[-2:]:
            continue  # "3th"
        return Reading(year=year, month=month, day=day, form=form)
    return None
