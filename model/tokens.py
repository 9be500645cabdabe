"""Tokenize a prompt, and say what each token stands for: its text, its raw bytes, its span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from model.errors import EmptyPrompt

if TYPE_CHECKING:
    from model.load import LoadedModel

BYTE_TOKEN = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")  # SentencePiece byte fallback


@lru_cache(maxsize=1)
def byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level BPE alphabet: each of the 256 bytes is shown as one printable character."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    printable += list(range(ord("®"), ord("ÿ") + 1))
    chars, n = list(printable), 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def token_bytes(piece: str, scheme: str) -> bytes:
    """The raw bytes one vocabulary entry stands for."""
    if scheme == "byte-level":
        table = byte_decoder()
        if all(ch in table for ch in piece):
            return bytes(table[ch] for ch in piece)
    if scheme == "sentencepiece":
        match = BYTE_TOKEN.match(piece)
        if match:
            return bytes([int(match.group(1), 16)])
        return piece.replace("▁", " ").encode("utf-8")
    if scheme == "wordpiece" and piece.startswith("##"):
        return piece[2:].encode("utf-8")
    return piece.encode("utf-8")


def display_text(raw: bytes) -> str:
    """Text of a token's bytes; a piece of a multi-byte character shows as its hex bytes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "<" + " ".join(f"{b:02x}" for b in raw) + ">"


def offsets_from_bytes(raw: list[bytes]) -> np.ndarray:
    """(T, 2) character spans of tokens given only their bytes; a piece of a character gets its character's start."""
    starts, ends, seen = [], [], b""
    for piece in raw:
        starts.append(len(seen.decode("utf-8", errors="ignore")))
        seen += piece
        ends.append(len(seen.decode("utf-8", errors="ignore")))
    return np.stack([starts, ends], axis=1).astype(np.int64).reshape(-1, 2)


@dataclass(frozen=True)
class Tokenized:
    token_ids: np.ndarray  # (T,) int64
    tokens: list[str]  # (T,) display text of each token
    token_bytes: list[bytes]  # (T,) raw bytes of each token
    offsets: np.ndarray  # (T, 2) int, character span [start, end) in the prompt; (0, 0) for specials
    dropped_tokens: int  # tokens cut to fit the context or the memory budget


def special_ids(tokenizer) -> frozenset[int]:
    """Ids of the tokens a tokenizer adds around the text ([CLS], [SEP], BOS, …), not pieces of the text."""
    return frozenset(int(i) for i in getattr(tokenizer, "all_special_ids", []) or [])


def special_mask(tokenizer, ids, offsets: np.ndarray | None = None) -> np.ndarray:
    """(T,) bool: which of `ids` are special tokens the tokenizer added ([CLS], [SEP], BOS). With `offsets`
    (T, 2), one that covers characters of the text (`[UNK]` standing for an emoji) counts as text."""
    specials = special_ids(tokenizer)
    mask = np.asarray([int(i) in specials for i in ids], dtype=bool)
    if offsets is not None and len(mask):
        mask &= np.asarray(offsets)[:, 1] <= np.asarray(offsets)[:, 0]
    return mask


def describe_ids(tokenizer, ids: list[int], scheme: str) -> tuple[list[str], list[bytes]]:
    pieces = tokenizer.convert_ids_to_tokens(ids)
    # a model's vocabulary can be larger than its tokenizer's (padded embeddings): such ids have no text
    raw = [token_bytes(p, scheme) if p is not None else b"" for p in pieces]
    shown = [display_text(r) for r in raw]
    if scheme == "wordpiece":  # a piece that continues a word keeps WordPiece's own mark; its bytes do not
        shown = [f"##{text}" if p and p.startswith("##") else text for p, text in zip(pieces, shown, strict=True)]
    return shown, raw


def tokenize(tokenizer, prompt: str, scheme: str) -> Tokenized:
    """Tokenize `prompt`, whole (trace() cuts what does not fit the context or the memory budget)."""
    if not prompt or not prompt.strip():
        raise EmptyPrompt()
    enc = tokenizer(prompt, return_offsets_mapping=True, add_special_tokens=True)
    ids = list(enc["input_ids"])
    if not ids:
        raise EmptyPrompt()
    tokens, raw = describe_ids(tokenizer, ids, scheme)
    return Tokenized(
        token_ids=np.asarray(ids, dtype=np.int64),
        tokens=tokens,
        token_bytes=raw,
        offsets=np.asarray(enc["offset_mapping"], dtype=np.int64).reshape(-1, 2),
        dropped_tokens=0,
    )


def token_texts(lm: LoadedModel, ids) -> list[str]:
    """Display text of vocabulary ids (a piece of a character shows as its bytes)."""
    return describe_ids(lm.tokenizer, [int(i) for i in ids], lm.token_scheme)[0]


def encode_plain(lm: LoadedModel, text: str) -> list[int]:
    """Ids of `text` on its own, without special tokens (a word to measure, a continuation)."""
    return [int(i) for i in lm.tokenizer(text, add_special_tokens=False)["input_ids"]]


def decode(lm: LoadedModel, ids) -> str:
    """The text of `ids`, special tokens left out."""
    return lm.tokenizer.decode([int(i) for i in ids], skip_special_tokens=True)


def continuation(lm: LoadedModel, prompt_ids: list[int], new_ids: list[int]) -> str:
    """The text `new_ids` add after the prompt, decoded in context (so SentencePiece keeps its spaces)."""
    base, full = decode(lm, prompt_ids), decode(lm, prompt_ids + new_ids)
    return full[len(base) :] if full.startswith(base) else decode(lm, new_ids)
