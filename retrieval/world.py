"""The island of Mirrow: a made-up knowledge base no bundled model has read, one file per language.

    documents("en")   # [Document(title="Mirrow", text="Mirrow is a small island…"), …]
    documents("zh")   # [Document(title="米洛岛", text="米洛岛是灰海中的一座小岛。…"), …]

Each "## Title" section of retrieval/world/{language}.md is one document; the "# …" heading and the
paragraph under it introduce the file and are not a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WORLD = Path(__file__).resolve().parent / "world"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Document:
    """One section of the world: what a retriever can find and a prompt can quote."""

    title: str
    text: str


def documents(language: str) -> list[Document]:
    """The world's documents in `language` ("en" or "zh"), in file order."""
    if language not in LANGUAGES:
        raise ValueError(f"There is no world in {language!r}: choose one of {', '.join(LANGUAGES)}.")
    return list(parse((WORLD / f"{language}.md").read_text(encoding="utf-8")))


@lru_cache(maxsize=len(LANGUAGES))
def parse(markdown: str) -> tuple[Document, ...]:
    """Split markdown at "## " headings; text before the first one is ignored."""
    sections: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return tuple(Document(title, "\n".join(lines).strip()) for title, lines in sections)
