"""Token labels used on every chart: `3:·the` — position, then the token with its space visible."""

from __future__ import annotations

import re

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
VISIBLE = {" ": "·", "\n": "↵", "\t": "⇥", "\r": "␍"}


BYTES_LABEL = re.compile(r"^<[0-9a-f]{2}( [0-9a-f]{2})*>$")  # a piece of a character, shown as its hex bytes


def visible(text: str) -> str:
    """Make spaces, newlines, tabs and control characters visible; keep everything else (a hex-bytes label
    such as "<e2 80>" keeps its space: it is not part of the text)."""
    if BYTES_LABEL.match(text):
        return text
    out = []
    for ch in text:
        if ch in VISIBLE:
            out.append(VISIBLE[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        elif ch in "\u200b\u200c\u200d\u2060\ufeff":
            out.append(f"<U+{ord(ch):04X}>")
        elif ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":  # bidi controls would flip the chart
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out) or "∅"


def code(text: str) -> str:
    """`text` as Markdown inline code that stays code whatever backticks it holds: the fence is one backtick
    longer than the longest run inside, padded with a space where the text starts or ends with one."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def token_code(text: str) -> str:
    """A token for a sentence: its visible form as inline code (`·king`)."""
    return code(visible(text))


MINUS = "\u2212"  # the minus sign of running text: −0.316, not -0.316


def num(value: float, digits: int = 3) -> str:
    """A number for a sentence, with a real minus sign (and never "−0.000")."""
    text = f"{float(value):.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def sci(value: float, digits: int = 1) -> str:
    """A small number such as a rounding difference, for a sentence: 0, 3.0×10⁻⁸, 0.25 — never "0.0e+00"."""
    value = float(value)
    if value == 0:
        return "0"
    if 1 <= abs(value) < 1e4:
        return f"{value:.{digits}f}".replace("-", MINUS)
    if 1e-3 <= abs(value) < 1:
        return f"{value:.{digits + 1}g}".replace("-", MINUS)
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{mantissa.replace('-', MINUS)}×10{str(int(exponent)).translate(SUPERSCRIPT)}"


def token_label(index: int, text: str) -> str:
    return f"{index}:{visible(text)}"


def token_labels(tokens: list[str]) -> list[str]:
    """Unique, readable axis labels for a token sequence (a repeated word still gets its own row)."""
    return [token_label(i, tok) for i, tok in enumerate(tokens)]


def pct(p: float) -> str:
    """A probability as a percentage that never rounds a small one to 0%: 41.0%, 0.0023%, 1.3×10⁻⁵%."""
    value = float(p) * 100
    if value == 0:
        return "0%"
    if value >= 0.1:
        return f"{value:.1f}%"
    if value >= 1e-4:
        return f"{value:.2g}%"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}%"
