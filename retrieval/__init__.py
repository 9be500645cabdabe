"""Retrieval for the retrieval-augmented-generation lesson: find the chunks a prompt should quote.

chunks = chunk_documents(documents("en"), size=2, overlap=1, by="sentences")   # or chunk_text(text, …)
Index([c.text for c in chunks]).search("What colour is the lighthouse?", k=3, method="hybrid")
embed(["a sentence", "another"])                                               # (2, 384) unit vectors
"""

from retrieval.chunking import Chunk, chunk_documents, chunk_text
from retrieval.embed import embed
from retrieval.index import Index, bm25_tokens
from retrieval.world import Document, documents

__all__ = ["Chunk", "Document", "Index", "bm25_tokens", "chunk_documents", "chunk_text", "documents", "embed"]
