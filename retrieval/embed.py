"""Texts → all-MiniLM-L6-v2 sentence embeddings, computed as its model card does without sentence-transformers.

    vectors = embed(["The lighthouse is green.", "What colour is the lighthouse?"])  # (2, 384), unit rows
    vectors[0] @ vectors[1]                                                          # cosine similarity

Recipe (README.md in minilm_path()): BERT tokens, padded and truncated; the model's last hidden states;
their mean over real (unmasked) tokens; L2 normalisation. Truncation is at sentence_bert_config.json's
max_seq_length (256 word pieces), as sentence-transformers does, not the tokenizer's own 512.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # torch and transformers load on first use: chunking and BM25 need neither
    import torch
    from transformers import PreTrainedTokenizerBase

DIM = 384  # all-MiniLM-L6-v2's hidden size = embedding size
BATCH = 32  # texts per forward pass: bounds memory for a long document list
DEFAULT_MAX_TOKENS = 256  # used only if sentence_bert_config.json is missing

_lock = threading.Lock()  # the Streamlit server runs sessions in threads: load once
_encoder: tuple[PreTrainedTokenizerBase, torch.nn.Module, int] | None = None  # (tokenizer, model, max tokens)


def encoder() -> tuple[PreTrainedTokenizerBase, torch.nn.Module, int]:
    """(tokenizer, eval-mode model, max tokens), loaded from the bundled folder on first use."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                from transformers import AutoModel, AutoTokenizer

                from model.load import minilm_path

                path = minilm_path()
                tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
                model = AutoModel.from_pretrained(path, local_files_only=True).eval()
                config = path / "sentence_bert_config.json"
                max_tokens = json.loads(config.read_text())["max_seq_length"] if config.is_file() else None
                _encoder = (tokenizer, model, max_tokens or DEFAULT_MAX_TOKENS)
    return _encoder


def embed(texts: list[str]) -> np.ndarray:
    """(N, 384) float32, one L2-normalised row per text, so a dot product is a cosine similarity."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    import torch

    tokenizer, model, max_tokens = encoder()
    rows = []
    with torch.no_grad():
        for first in range(0, len(texts), BATCH):
            batch = tokenizer(
                list(texts[first : first + BATCH]),
                padding=True,
                truncation=True,
                max_length=max_tokens,
                return_tensors="pt",
            )
            hidden = model(**batch).last_hidden_state  # (B, T, 384)
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)  # (B, T, 1): 1 = real token
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)  # (B, 384)
            rows.append(torch.nn.functional.normalize(mean, p=2, dim=1))
    return torch.cat(rows).float().numpy()  # (N, 384)
