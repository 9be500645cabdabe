"""The instrumented model core: load real models and trace a prompt with forward hooks.

from model import load_model, trace
lm = load_model("tinytales")
tr = trace(lm, "Once upon a time")
"""

from model.errors import (
    BrokenModel,
    EmptyPrompt,
    ModelNotFound,
    NoSafetensors,
    PromptTooLong,
    UnsupportedArchitecture,
    WalkthroughError,
)
from model.load import LoadedModel, from_model, load_model
from model.trace import Trace, trace, trace_ids

__all__ = [
    "BrokenModel",
    "EmptyPrompt",
    "LoadedModel",
    "ModelNotFound",
    "NoSafetensors",
    "PromptTooLong",
    "Trace",
    "UnsupportedArchitecture",
    "WalkthroughError",
    "from_model",
    "load_model",
    "trace",
    "trace_ids",
]
