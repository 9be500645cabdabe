"""Train a very small GPT-2 from scratch, live, on a short text: the loss falling, samples and head scores as
it learns. Nothing here touches a shared model; each run owns its model and optimizer.

    run = LiveRun(tokenizer, passage())          # 2 layers x 64 wide, the passage's own vocabulary
    run.train(steps=300, seconds=60)             # or run.train(steps=1): one step at a time
    run.history.loss, run.history.samples, run.history.heads, run.steps_per_second

The model's vocabulary is the tokens the text uses (a few thousand of the tokenizer's), so a step is cheap
and the loss starts near ln(that count). The text is cut into windows of `n_positions` tokens at random
places, its last tenth held out (when long enough) to show when learning turns into memorising; every
`sample_every` steps the run measures the held-out loss, writes a greedy continuation of the text's first words and
scores every head (previous-token on the text's start, induction on a repeated run of the text's tokens).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from model.numeric import induction_score, previous_token_score
from training.train import gpt2

PASSAGE = Path(__file__).resolve().parent / "texts" / "aesop.txt"  # source: training/texts/SOURCE.md
MAX_CHARS = 20_000  # a pasted text is cut here: a live run is a demonstration, not a corpus
HELD_OUT = 10  # one tenth of the text, its end, is only measured on
PROMPT_TOKENS = 6
RATES = (
    1e-4,
    3e-4,
    1e-3,
    3e-3,
    1e-2,
    3e-2,
)  # the learning rates the lesson offers  # the sample continues the text's first tokens


class TextTooShort(ValueError):
    """The text has too few tokens for one training window."""

    def __init__(self, tokens: int, needed: int):
        super().__init__(f"The text has {tokens} tokens; a live run needs at least {needed}.")
        self.tokens, self.needed = tokens, needed


@dataclass(frozen=True)
class LiveConfig:
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 64
    n_positions: int = 64  # window, tokens
    batch_size: int = 16
    lr: float = 3e-3  # AdamW, constant after 20 warm-up steps
    seed: int = 0
    sample_every: int = 25  # steps between samples and head scores


@dataclass
class History:
    """What the run has recorded so far; lists grow while it trains (read them as they are)."""

    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)  # training loss at each step, nats per token
    val: list[tuple[int, float]] = field(default_factory=list)  # (step, loss on the held-out tail of the text)
    samples: list[tuple[int, str]] = field(default_factory=list)  # (step, greedy continuation)
    heads: list[tuple[int, np.ndarray, np.ndarray]] = field(default_factory=list)  # (step, prev (L,H), ind (L,H))


def passage() -> str:
    """The bundled public-domain passage (fables from The Aesop for Children, 1919)."""
    return PASSAGE.read_text(encoding="utf-8")


class LiveRun:
    """One session's tiny model, its optimizer and its history. `train` may be called again to continue."""

    def __init__(self, tokenizer, text: str, config: LiveConfig = LiveConfig()):
        self.tokenizer, self.config = tokenizer, config
        ids = np.asarray(tokenizer(text[:MAX_CHARS], add_special_tokens=False)["input_ids"], dtype=np.int64)
        needed = config.n_positions + 1
        if len(ids) < needed:
            raise TextTooShort(len(ids), needed)
        self.vocab = np.unique(ids)  # (V,) the tokenizer's ids the text uses, ascending
        local = np.searchsorted(self.vocab, ids)  # (N,) the text in the run's own ids
        cut = len(local) - len(local) // HELD_OUT
        if len(local) - cut >= needed and cut >= needed:
            self.data, self.held_out = local[:cut], local[cut:]
        else:
            self.data, self.held_out = local, None
        c = config
        self.model = gpt2(len(self.vocab), c.n_positions, c.n_embd, c.n_layer, c.n_head, c.seed)
        self.model.set_attn_implementation("eager")  # the head scores need the weights; tiny, so no cost to speak of
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=config.lr, betas=(0.9, 0.95), weight_decay=0.01)
        self.rng = np.random.default_rng(config.seed)
        self.history = History()
        self.seconds = 0.0  # time spent in finished train() calls
        self._begun: float | None = None  # when the running train() call began
        self.lock = threading.Lock()  # one train() at a time

    @property
    def step(self) -> int:
        return self.history.steps[-1] if self.history.steps else 0

    @property
    def tokens(self) -> int:
        return len(self.data)

    @property
    def start_loss(self) -> float:
        """The loss of guessing uniformly over the run's vocabulary: where training starts."""
        return math.log(len(self.vocab))

    @property
    def steps_per_second(self) -> float:
        """Steps per second of training so far, the running call included."""
        running = time.perf_counter() - self._begun if self._begun is not None else 0.0
        spent = self.seconds + running
        return self.step / spent if spent else 0.0

    def _batch(self, data: np.ndarray | None = None, rng: np.random.Generator | None = None):
        """(x, y): (B, T) random windows of the text and the same shifted by one."""
        data = self.data if data is None else data
        T = self.config.n_positions
        starts = (rng or self.rng).integers(0, len(data) - T, size=self.config.batch_size)
        rows = torch.from_numpy(np.stack([data[s : s + T + 1] for s in starts]))  # (B, T+1)
        return rows[:, :-1], rows[:, 1:]

    @torch.no_grad()
    def held_out_loss(self) -> float | None:
        """Mean loss on fixed windows of the held-out tail (None when the text is too short to hold any out)."""
        if self.held_out is None:
            return None
        x, y = self._batch(self.held_out, np.random.default_rng(0))
        return float(torch.nn.functional.cross_entropy(self.model(input_ids=x).logits.flatten(0, 1), y.flatten()))

    def train(
        self, steps: int, seconds: float = math.inf, progress: Callable[[float, str], None] | None = None
    ) -> None:
        """Up to `steps` optimizer steps, stopping early after `seconds`. `progress(fraction, message)` is called
        after each step (it may raise to stop the run: the steps done so far are kept)."""
        with self.lock:
            self.model.train()
            begun = self._begun = time.perf_counter()
            try:
                for done in range(1, steps + 1):
                    self._one_step()
                    spent = time.perf_counter() - begun
                    if progress is not None:
                        progress(max(done / steps, min(1.0, spent / seconds)), f"{self.step:,}")
                    if spent >= seconds:
                        break
            finally:  # also when `progress` stopped the run
                self.seconds += time.perf_counter() - begun
                self._begun = None

    def _one_step(self) -> None:
        x, y = self._batch()
        for group in self.optimizer.param_groups:
            group["lr"] = self.config.lr * min(1.0, (self.step + 1) / 20)  # read each step: a change applies at once
        loss = torch.nn.functional.cross_entropy(self.model(input_ids=x).logits.flatten(0, 1), y.flatten())
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        step = self.step + 1
        if step == 1 or step % self.config.sample_every == 0:
            self._record(step)
        self.history.loss.append(float(loss.item()))
        self.history.steps.append(step)  # last: a reader sees steps and loss of equal length, or one more loss

    @torch.no_grad()
    def _record(self, step: int) -> None:
        self.model.eval()
        held_out = self.held_out_loss()
        if held_out is not None:
            self.history.val.append((step, held_out))
        self.history.samples.append((step, self.sample()))
        self.history.heads.append((step, *self.head_scores()))
        self.model.train()

    @torch.no_grad()
    def sample(self, new: int = 16) -> str:
        """The greedy continuation of the text's first tokens (the prompt, then what the model writes)."""
        ids = torch.from_numpy(self.data[:PROMPT_TOKENS])[None]
        out = self.model.generate(ids, max_new_tokens=new, do_sample=False, pad_token_id=0)
        return self.tokenizer.decode(self.vocab[out[0].numpy()].tolist())

    @torch.no_grad()
    def head_scores(self) -> tuple[np.ndarray, np.ndarray]:
        """(previous-token, induction) scores of every head: (L, H) each."""
        T = self.config.n_positions
        start = torch.from_numpy(self.data[:T])[None]
        pattern = torch.stack(self.model(input_ids=start, output_attentions=True).attentions)[:, 0].numpy()
        period = T // 2
        run = np.random.default_rng(0).choice(len(self.vocab), size=period)
        twice = torch.from_numpy(np.concatenate([run, run]))[None]
        repeated = torch.stack(self.model(input_ids=twice, output_attentions=True).attentions)[:, 0].numpy()
        return previous_token_score(pattern), induction_score(repeated, period)
