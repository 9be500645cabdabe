"""The instrumented model core: load real models, trace a prompt with forward hooks, edit the forward.

    from model import load_model, trace, AblateHead, Patch
    lm = load_model("tinytales")
    tr = trace(lm, "Once upon a time")
    ablated = trace(lm, "Once upon a time", edits=[AblateHead(3, 3)])

Names are imported lazily (PEP 562), so `import model.types` or `model.numeric` costs no torch.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "AblateHead": "model.edits",
    "Patch": "model.edits",
    "Edit": "model.edits",
    "BadEdit": "model.errors",
    "BrokenModel": "model.errors",
    "DownloadFailed": "model.errors",
    "EmptyPrompt": "model.errors",
    "ModelNotFound": "model.errors",
    "NoSafetensors": "model.errors",
    "PromptOverBudget": "model.errors",
    "PromptTooLong": "model.errors",
    "UnsupportedArchitecture": "model.errors",
    "WalkthroughError": "model.errors",
    "LoadedModel": "model.load",
    "from_model": "model.load",
    "load_model": "model.load",
    "Trace": "model.types",
    "Readout": "model.types",
    "SITES": "model.types",
    "trace": "model.tracing",
    "trace_ids": "model.tracing",
    "token_limit": "model.tracing",
    "set_trace_budget": "model.budget",
    "trace_budget": "model.budget",
    "logit_lens": "model.lens",
    "logit_attribution": "model.lens",
    "Settings": "model.sampling",
    "distribution": "model.sampling",
    "generate": "model.generate",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
