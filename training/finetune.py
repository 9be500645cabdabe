"""Fine-tune a loaded decoder on a few labelled examples, fully or with LoRA (peft), on a copy: `lm` itself is
never modified.

    tuned = finetune(lm, world_examples("en", "facts"), method="lora", steps=60, lr=3e-3, rank=4)
    tuned.model                                  # a LoadedModel of the tuned copy: trace it, lens it, sample it
    tuned.losses, tuned.trainable_params, tuned.total_params
    tuned.held_out                               # [(step, loss on a story it never saw)]: what it forgot
    with tuned.adapter_off(): ...                # LoRA only: the same model with the adapter switched off

Each example is (prompt, completion); the loss counts only on the completion's tokens (the prompt's labels are
-100), as in instruction tuning. All examples go in every step (they are few). LoRA targets, by family, the
matrices named in TARGETS (for GPT-2 its `Conv1D` layers in full, e.g. "attn.c_attn"); every requested target
must match a module, or `finetune` says which did not.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from model.load import LoadedModel, from_model
from model.reference import reference_text

FACTS = Path(__file__).resolve().parent / "texts" / "world_facts.json"
METHODS = ("lora", "full")
IGNORE = -100
# what LoRA adapts by default, per family: attention's fused q,k,v and output projections and the MLP's two
TARGETS = {
    "GPT-2": ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"),
    "Llama-style (Llama, Qwen2/3, Mistral, SmolLM, …)": ("q_proj", "k_proj", "v_proj", "o_proj"),
    "GPT-NeoX (Pythia)": ("attention.query_key_value", "attention.dense"),
}
DEFAULTS = {"lora": {"steps": 60, "lr": 3e-3, "rank": 4}, "full": {"steps": 60, "lr": 1e-3, "rank": None}}
RANKS = (1, 2, 4, 8)  # LoRA ranks the lesson offers
RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)  # learning rates the lesson offers
HELD_OUT_EVERY = 5  # steps between measurements of the held-out story's loss


class TargetsNotFound(ValueError):
    """Some requested LoRA targets match no module of the model."""

    def __init__(self, missing: list[str], available: list[str]):
        super().__init__(f"No module named {missing} in this model; its linear layers include {available[:8]}.")
        self.missing, self.available = missing, available


def world_examples(language: str, kind: str = "facts") -> list[tuple[str, str]]:
    """The bundled labelled set about the island of Mirrow: "facts" (a sentence to complete) or "qa"
    ("Q: … A:" in one template), in English or Chinese."""
    data = json.loads(FACTS.read_text(encoding="utf-8"))
    return [tuple(pair) for pair in data[language if language in data else "en"][kind]]


def encode_examples(tokenizer, examples: list[tuple[str, str]], most: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids, labels): (N, T) right-padded; labels -100 on the prompt's tokens and the padding."""
    if not examples:
        raise ValueError("Give at least one example: a prompt and the completion to learn.")
    rows = []
    for prompt, completion in examples:
        if not completion.strip():
            raise ValueError(f"The example {prompt[:40]!r} has no completion to learn.")
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        c = tokenizer(completion, add_special_tokens=False)["input_ids"]
        rows.append(((p + c)[-most:], ([IGNORE] * len(p) + c)[-most:]))
    T = max(len(ids) for ids, _ in rows)
    pad = tokenizer.eos_token_id or 0
    ids = torch.tensor([i + [pad] * (T - len(i)) for i, _ in rows])
    labels = torch.tensor([lab + [IGNORE] * (T - len(lab)) for _, lab in rows])
    return ids, labels


def example_loss(model, ids: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the completions' tokens (each predicted from the tokens before it)."""
    logits = model(input_ids=ids).logits[:, :-1]  # (N, T-1, V)
    return torch.nn.functional.cross_entropy(logits.flatten(0, 1), labels[:, 1:].flatten(), ignore_index=IGNORE)


def completion_probability(lm: LoadedModel, prompt: str, completion: str) -> float:
    """P(completion | prompt) under `lm`: the product of its tokens' probabilities."""
    ids, labels = encode_examples(lm.tokenizer, [(prompt, completion)], lm.context_size)
    with lm.lock, torch.no_grad():
        logp = torch.log_softmax(lm.model(input_ids=ids.to(lm.device)).logits[0, :-1].float(), -1)
    target = labels[0, 1:]
    scored = target != IGNORE
    return float(math.exp(logp[scored.nonzero()[:, 0], target[scored]].sum().item()))


@dataclass(eq=False)
class Tuned:
    """A fine-tuned copy and what its run recorded. Lists grow while it trains."""

    model: LoadedModel
    method: str
    base: LoadedModel
    trainable_params: int
    total_params: int
    targets: tuple[str, ...] = ()
    losses: list[float] = field(default_factory=list)  # loss on the examples, one per step
    held_out: list[tuple[int, float]] = field(default_factory=list)  # (step, loss on the held-out story)
    seconds: float = 0.0
    peft_model: object | None = None  # LoRA: the PeftModel around model.model
    _merged: LoadedModel | None = field(default=None, repr=False)
    _deltas: tuple[int, dict] | None = field(default=None, repr=False)  # (steps, ΔW per matrix) at that step

    @property
    def share(self) -> float:
        return self.trainable_params / self.total_params

    @contextlib.contextmanager
    def adapter_off(self):
        """LoRA: the tuned model with its adapter switched off (the base model's numbers), for as long as the
        block runs; full fine-tuning has no adapter to switch."""
        if self.peft_model is None:
            raise ValueError("Full fine-tuning changed the weights themselves: there is no adapter to switch off.")
        with self.model.lock, self.peft_model.disable_adapter():
            yield self.model

    def merged(self) -> LoadedModel:
        """The tuned model as a plain one (LoRA's update added into its weights, on a copy): what every other
        lesson reads, so its weight-based views (the heads' direct push, the neurons) see the tuned weights.
        Built once."""
        if self.peft_model is None:
            return self.model
        if self._merged is None:
            with self.model.lock:
                plain = copy.deepcopy(self.peft_model).merge_and_unload()
            self._merged = from_model(plain, self.model.tokenizer, name=self.model.name, language=self.model.language)
            self._merged.lock = threading.RLock()
            self._merged.display_name = self.model.display_name
        return self._merged

    def delta_weights(self) -> dict[str, np.ndarray]:
        """{matrix name: ΔW} every changed matrix, as (out, in) float32 arrays, for the lesson's "what changed".
        Computed once per step count: a page's reruns (the ratios, the chosen matrix) reuse it."""
        if self._deltas is None or self._deltas[0] != len(self.losses):
            self._deltas = (len(self.losses), self._compute_deltas())
        return self._deltas[1]

    def _compute_deltas(self) -> dict[str, np.ndarray]:
        base = dict(self.base.model.named_parameters())
        out = {}
        if self.peft_model is not None:
            for name, module in self.model.model.named_modules():
                if hasattr(module, "get_delta_weight") and "default" in getattr(module, "lora_A", {}):
                    delta = module.get_delta_weight("default").detach().float()
                    out[name] = _as_out_in(delta, name).numpy()
            return out
        for name, param in self.model.model.named_parameters():
            if param.dim() == 2 and name in base and not name.endswith(("wte.weight", "wpe.weight")):
                out[name.removesuffix(".weight")] = _as_out_in(param.detach() - base[name].detach(), name).numpy()
        return out


def _as_out_in(matrix: torch.Tensor, name: str) -> torch.Tensor:
    """GPT-2's Conv1D keeps its weight as (in, out); everything else as (out, in). Return (out, in)."""
    return matrix.T if any(part in name for part in ("c_attn", "c_proj", "c_fc")) else matrix


def _lora(model, family: str, rank: int, targets: tuple[str, ...] | None):
    from peft import LoraConfig, get_peft_model

    targets = tuple(targets or TARGETS.get(family, ()))
    if not targets:
        raise ValueError(f"No LoRA targets are known for the {family} family: name them.")
    linear = [n for n, m in model.named_modules() if isinstance(m, torch.nn.Linear) or type(m).__name__ == "Conv1D"]
    missing = [t for t in targets if not any(n == t or n.endswith("." + t) for n in linear)]
    if missing:
        raise TargetsNotFound(missing, linear)
    config = LoraConfig(
        r=rank,
        lora_alpha=2 * rank,
        lora_dropout=0.0,
        target_modules=list(targets),
        fan_in_fan_out=family == "GPT-2",  # Conv1D stores its weight transposed
        bias="none",
    )
    return get_peft_model(model, config), targets


def finetune(
    lm: LoadedModel,
    examples: list[tuple[str, str]],
    method: str = "lora",
    steps: int | None = None,
    lr: float | None = None,
    rank: int | None = None,
    targets: tuple[str, ...] | None = None,
    progress: Callable[[float, str], None] | None = None,
    seed: int = 0,
    into: Callable[[Tuned], None] | None = None,
) -> Tuned:
    """Tune a copy of `lm` on `examples` for `steps` AdamW steps (defaults in DEFAULTS). `progress(fraction,
    message)` is called after each step and may raise to stop (the steps done are kept); `into(tuned)` receives
    the result before the first step, so a page can draw its losses as they come."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}.")
    if not lm.family.is_causal:
        raise ValueError(f"{lm.display_name} is an encoder: this lesson fine-tunes a decoder's next-token guesses.")
    defaults = DEFAULTS[method]
    steps, lr = int(steps or defaults["steps"]), float(lr or defaults["lr"])
    ids, labels = encode_examples(lm.tokenizer, examples, lm.context_size)
    with lm.lock:
        model = copy.deepcopy(lm.model)  # (the shared model is never trained)
    model.to(lm.device).train()
    peft_model, used = None, ()
    torch.manual_seed(seed)  # LoRA's A starts random: the same seed, the same run
    if method == "lora":
        peft_model, used = _lora(model, lm.family.name, int(rank or defaults["rank"]), targets)
        trainable, total = peft_model.get_nb_trainable_parameters()
    else:
        trainable = total = sum(p.numel() for p in model.parameters())
    tuned = Tuned(
        model=from_model(model, lm.tokenizer, name=f"{lm.name} (tuned)", language=lm.language),
        method=method,
        base=lm,
        trainable_params=int(trainable),
        total_params=int(total),
        targets=used,
        peft_model=peft_model,
    )
    tuned.model.lock = threading.RLock()
    tuned.model.display_name = f"{lm.display_name} + {'LoRA' if peft_model is not None else 'fine-tuning'}"
    if into is not None:
        into(tuned)
    story = reference_text(lm.language)
    story_ids = torch.tensor([lm.tokenizer(story, add_special_tokens=False)["input_ids"][: lm.context_size]])
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    device_ids, device_labels = ids.to(lm.device), labels.to(lm.device)
    begun = time.perf_counter()
    try:
        with tuned.model.lock:
            tuned.held_out.append((0, _story_loss(model, story_ids.to(lm.device))))
        for step in range(1, steps + 1):
            with tuned.model.lock:
                model.train()
                loss = example_loss(model, device_ids, device_labels)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                tuned.losses.append(float(loss.item()))
                if step % HELD_OUT_EVERY == 0 or step == steps:
                    tuned.held_out.append((step, _story_loss(model, story_ids.to(lm.device))))
            if progress is not None:
                progress(step / steps, f"{step}/{steps}")
    finally:
        model.eval()
        tuned.seconds = time.perf_counter() - begun
    return tuned


@torch.no_grad()
def _story_loss(model, ids: torch.Tensor) -> float:
    """Next-token loss on a short story no model of ours was trained on: it rises as tuning forgets."""
    was = model.training
    model.eval()
    logits = model(input_ids=ids).logits[0, :-1]
    loss = torch.nn.functional.cross_entropy(logits.float(), ids[0, 1:]).item()
    model.train(was)
    return float(loss)


def lora_parameter_count(lm: LoadedModel, rank: int, targets: tuple[str, ...] | None = None) -> int:
    """How many numbers LoRA of `rank` trains on `targets`, counted from the matrices' shapes before any copy
    is made: rank × (inputs + outputs) for each adapted matrix (peft's own count, which a test compares)."""
    targets = tuple(targets or TARGETS.get(lm.family.name, ()))
    total = 0
    for name, module in lm.model.named_modules():
        if any(name == t or name.endswith("." + t) for t in targets) and getattr(module, "weight", None) is not None:
            total += rank * sum(module.weight.shape)
    return total


def change_ratios(tuned: Tuned) -> dict[str, float]:
    """{matrix name: ‖ΔW‖ / ‖W‖} (Frobenius norms) for every matrix tuning changed."""
    base = {n.removesuffix(".weight"): p.detach().float() for n, p in tuned.base.model.named_parameters()}
    out = {}
    for name, delta in tuned.delta_weights().items():
        weight = base.get(name)
        if weight is not None:
            out[name] = float(np.linalg.norm(delta) / max(float(torch.linalg.norm(weight)), 1e-12))
    return out


def singular_values(delta: np.ndarray, k: int = 16) -> np.ndarray:
    """The k largest singular values of ΔW, largest first: (k,)."""
    return np.linalg.svd(delta.astype(np.float64), compute_uv=False)[:k]


def top_next(lm: LoadedModel, prompt: str, k: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """(ids (k,), probabilities (k,)): the k likeliest tokens after `prompt`, most first."""
    ids = lm.tokenizer(prompt, add_special_tokens=False)["input_ids"][-lm.context_size :]
    with lm.lock, torch.no_grad():
        logits = lm.model(input_ids=torch.tensor([ids], device=lm.device)).logits[0, -1].float()
    probs = torch.softmax(logits, -1).cpu().numpy()
    top = np.argsort(-probs, kind="stable")[:k]
    return top, probs[top]


def adapter_bytes(tuned: Tuned) -> bytes:
    """The LoRA adapter's weights as a safetensors file (what peft's save_pretrained writes as
    adapter_model.safetensors)."""
    if tuned.peft_model is None:
        raise ValueError("Full fine-tuning has no adapter: the whole model changed.")
    from peft import get_peft_model_state_dict
    from safetensors.torch import save

    with tuned.model.lock:
        weights = {k: v.detach().cpu().contiguous() for k, v in get_peft_model_state_dict(tuned.peft_model).items()}
    return save(weights)


def continuation(lm: LoadedModel, prompt: str, new: int = 12) -> str:
    """The greedy continuation of `prompt` (`new` tokens), as text."""
    ids = lm.tokenizer(prompt, add_special_tokens=False)["input_ids"][-(lm.context_size - new) :]
    with lm.lock, torch.no_grad():
        out = lm.model.generate(
            torch.tensor([ids], device=lm.device),
            max_new_tokens=new,
            do_sample=False,
            pad_token_id=lm.tokenizer.eos_token_id or 0,
        )
    return lm.tokenizer.decode(out[0, len(ids) :].tolist())
