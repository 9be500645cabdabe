"""The dates task TinyDates learns: a calendar date written in English or Chinese → ISO `YYYY-MM-DD`.

    write(date(1921, 3, 3), "the_dth_of_month_y")  # "the 3rd of March, 1921"
    iso(date(1921, 3, 3))                           # "1921-03-03"

Seven named forms (FORMS), years 1800–2099, real calendar dates only (`datetime.date` keeps leap years right).
About a tenth of all the dates in that range, chosen by a salted hash of the date, are held out: the training
sampler never draws them in any form, and every evaluation draws from them alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

FIRST, LAST = date(1800, 1, 1), date(2099, 12, 31)
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MONTHS_SHORT = [m[:3] for m in MONTHS]  # Jan … Dec ("May" is both)
ZH_DIGITS = "〇一二三四五六七八九"
HELD_OUT_SALT = "tinydates-held-out"  # the hash's salt: another salt holds out other dates
HELD_OUT_PER_MILLE = 100  # dates whose hash falls below this, of 1,000, are held out (about 10%)
HELD_OUT_RULE = (
    f"a date is held out when int(sha256('{HELD_OUT_SALT}:' + its ISO string)[:8 hex], 16) % 1000 "
    f"< {HELD_OUT_PER_MILLE}; held-out dates never appear in training, in any form"
)


def ordinal(n: int) -> str:
    """1st 2nd 3rd 4th … 11th 12th 13th … 21st 22nd 23rd … 31st."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def zh_number(n: int) -> str:
    """1–99 in Chinese numerals: 三, 十, 十三, 二十, 二十三, 三十一."""
    tens, ones = divmod(n, 10)
    if not 0 < n < 100:
        raise ValueError(f"zh_number writes 1–99, not {n}")
    if tens == 0:
        return ZH_DIGITS[ones]
    return ("" if tens == 1 else ZH_DIGITS[tens]) + "十" + (ZH_DIGITS[ones] if ones else "")


def zh_year(year: int) -> str:
    """A year digit by digit, 〇 for zero: 1905 → 一九〇五."""
    return "".join(ZH_DIGITS[int(c)] for c in str(year))


# name → how that form writes a date; the names are the keys of every per-form table
FORMS: dict[str, Callable[[date], str]] = {
    "d_month_y": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",  # 3 March 1921
    "month_d_y": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",  # March 3, 1921
    "the_dth_of_month_y": lambda d: f"the {ordinal(d.day)} of {MONTHS[d.month - 1]}, {d.year}",  # the 3rd of March…
    "dth_month_y": lambda d: f"{ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}",  # 3rd March 1921
    "mon_d_y": lambda d: f"{MONTHS_SHORT[d.month - 1]} {d.day} {d.year}",  # Mar 3 1921
    "zh_arabic": lambda d: f"{d.year}年{d.month}月{d.day}日",  # 1921年3月3日
    "zh_numerals": lambda d: f"{zh_year(d.year)}年{zh_number(d.month)}月{zh_number(d.day)}日",  # 一九二一年三月三日
}
EXAMPLE_DATE = date(1921, 3, 3)


def write(day: date, form: str) -> str:
    """`day` written in `form` (a key of FORMS)."""
    if form not in FORMS:
        raise KeyError(f"No date form {form!r}; the forms are {', '.join(FORMS)}.")
    if not FIRST <= day <= LAST:
        raise ValueError(f"{day} is outside the task's range, {FIRST}..{LAST}.")
    return FORMS[form](day)


def iso(day: date) -> str:
    """The target: 1921-03-03."""
    return day.isoformat()


def is_held_out(day: date) -> bool:
    digest = hashlib.sha256(f"{HELD_OUT_SALT}:{day.isoformat()}".encode()).hexdigest()
    return int(digest[:8], 16) % 1000 < HELD_OUT_PER_MILLE


def all_dates() -> list[date]:
    """Every calendar date FIRST..LAST (109,573 of them)."""
    return [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]


_SPLITS: dict[str, np.ndarray] = {}


def split(name: str) -> np.ndarray:
    """The ordinals (`date.toordinal()`) of the "train" or "held_out" dates, ascending: (N,) int64."""
    if name not in ("train", "held_out"):
        raise KeyError(f"The splits are 'train' and 'held_out', not {name!r}.")
    if not _SPLITS:
        days = all_dates()
        held = np.array([is_held_out(d) for d in days])
        ordinals = np.array([d.toordinal() for d in days], dtype=np.int64)
        _SPLITS["train"], _SPLITS["held_out"] = ordinals[~held], ordinals[held]
    return _SPLITS[name]


def sample(rng: np.random.Generator, n: int, which: str = "train") -> list[tuple[str, str, str]]:
    """n (source, target, form) pairs: dates drawn uniformly from the split `which`, forms uniformly mixed."""
    days = rng.choice(split(which), size=n)
    forms = rng.integers(0, len(FORMS), size=n)
    names = list(FORMS)
    return [pair(date.fromordinal(int(d)), names[f]) for d, f in zip(days, forms, strict=True)]


def pair(day: date, form: str) -> tuple[str, str, str]:
    return write(day, form), iso(day), form


def held_out_sample(per_form: int, seed: int, besides: dict | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """A fixed evaluation set: for each form, `per_form` distinct held-out dates drawn by `seed` — none of those
    in the sample `besides` (another such set: the final evaluation avoids the one training watched)."""
    rng = np.random.default_rng(seed)
    taken = {date.fromisoformat(p[1]).toordinal() for pairs in (besides or {}).values() for p in pairs}
    pool = np.setdiff1d(split("held_out"), np.array(sorted(taken), dtype=np.int64))
    return {
        form: [pair(date.fromordinal(int(d)), form) for d in rng.choice(pool, size=per_form, replace=False)]
        for form in FORMS
    }


def characters() -> list[str]:
    """Every character a source or a target can hold, in a fixed order (the tokenizer's vocabulary)."""
    seen: set[str] = set("0123456789-")
    for day in (date(2000, 1, 1) + timedelta(days=i) for i in range(366)):  # every month, every day number
        for form in FORMS:
            seen.update(write(day, form))
    return sorted(seen)
