"""Errors a user can cause and fix. Each carries a `key` and `params` so the app can say it in
the user's language; `str(error)` is the English message, which always says what to do next."""

from __future__ import annotations


class WalkthroughError(Exception):
    """Base class: a problem with the user's input, never a bug."""

    key = "error"
    template = "Something went wrong."

    def __init__(self, **params):
        self.params = params
        super().__init__(self.template.format(**params))


class EmptyPrompt(WalkthroughError):
    key = "empty_prompt"
    template = "The prompt is empty. Type a sentence (or pick an example) to see how the model reads it."


class PromptTooLong(WalkthroughError):
    key = "prompt_too_long"
    template = (
        "This prompt has {n_tokens} tokens; {model} reads at most {limit}. "
        "Shorten it, or let the walk keep {limit} of them ({dropped} are dropped)."
    )


class ModelNotFound(WalkthroughError):
    key = "model_not_found"
    template = (
        "No model called '{name}' is on this computer. Pick TinyTales or MiniLM, give the path of a "
        "folder that holds config.json and *.safetensors, or a Hugging Face id you have downloaded before."
    )


class NoSafetensors(WalkthroughError):
    key = "no_safetensors"
    template = (
        "The folder '{name}' has no *.safetensors weights (found: {found}). This app only loads "
        "safetensors, which cannot run code: convert the weights or pick another model."
    )


class PickleWeights(NoSafetensors):
    """Only PyTorch pickle weights (*.bin, *.pt, *.pth, *.ckpt): refused, because unpickling can run code."""

    key = "pickle_weights"
    template = (
        "The folder '{name}' holds only pickle weights ({found}). This app refuses them, because loading a pickle "
        "can run code: convert them to *.safetensors (for example with transformers' save_pretrained), or pick "
        "another model."
    )


class NoConfig(WalkthroughError):
    key = "no_config"
    template = (
        "The folder '{name}' has no config.json (found: {found}), so the app cannot tell what kind of model it is. "
        "Copy config.json from where the weights came from, or pick another model."
    )


class BadConfig(WalkthroughError):
    key = "bad_config"
    template = (
        "The config.json of '{name}' could not be read ({reason}). Copy it again from where the model came from, "
        "or pick another model."
    )


class NoTokenizer(WalkthroughError):
    key = "no_tokenizer"
    template = (
        "The folder '{name}' has no tokenizer files (tokenizer.json, or vocab.txt, or vocab.json with merges.txt, "
        "or a SentencePiece *.model; found: {found}). Copy them from where the model came from, or pick another model."
    )


class UnsupportedArchitecture(WalkthroughError):
    # the Chinese sentence names the families itself (lessons: error.unsupported_family), so `families` is English
    key = "unsupported_family"
    template = "'{name}' is a {model_type} model, which this app cannot trace yet. Supported families: {families}."


class BrokenModel(WalkthroughError):
    key = "broken_model"
    template = "'{name}' could not be loaded ({reason}). Check that its files are complete, or pick another model."


class CorruptWeights(BrokenModel):
    """A *.safetensors file that cannot be read: truncated, or not safetensors at all."""

    key = "corrupt_weights"
    template = (
        "The weights of '{name}' are damaged or incomplete ({reason}). Download or copy the *.safetensors "
        "files again, or pick another model."
    )


class BadEdit(WalkthroughError):
    key = "bad_edit"
    template = "This edit cannot be applied: {reason}."


class PromptOverBudget(WalkthroughError):
    key = "prompt_over_budget"
    template = (
        "This prompt has {n_tokens} tokens; tracing {model} on it would take {needed_mb} MB, over the "
        "{budget_mb} MB a trace may use. Shorten it to {limit} tokens, or let the walk keep {limit} of them."
    )


class DownloadFailed(WalkthroughError):
    """A download was allowed and failed; the subclasses say why."""


class HubUnreachable(DownloadFailed):
    key = "hub_unreachable"
    template = (
        "'{name}' could not be downloaded: this computer cannot reach the Hugging Face Hub. Check the network, "
        "or pick TinyTales, TinyTales 中文 or MiniLM, which need no download."
    )


class NotOnHub(DownloadFailed):
    key = "not_on_hub"
    template = (
        "'{name}' could not be downloaded: the Hugging Face Hub has no model by that id, or it needs a login. "
        "Check the spelling (organisation/name), or pick TinyTales, TinyTales 中文 or MiniLM."
    )
