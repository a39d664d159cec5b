"""Guess a file's format from its extension, then from its first bytes."""

from __future__ import annotations

from storyline.ingest.base import Source, inflate_head

FORMATS = ("auto", "text", "html", "jsonl", "warc", "feed")

_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed",
}


def sniff(src: Source) -> str:
    """By the suffix (under a .gz one), else by the first bytes (inflated when gzipped:
    a gzipped WARC is read by warcio, any other gzipped format through a bounded stream)."""
    name = src.path.name.lower() if src.path else ""
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    name = name.removesuffix(".gz")
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    head = inflate_head(src.head(1 << 16))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower() == b"warc/":
        return "warc"
    if suffix in _BY_SUFFIX and suffix != ".txt":
        return _BY_SUFFIX[suffix]
    return sniff_bytes(head, default=_BY_SUFFIX.get(suffix, "text"))


def sniff_bytes(head: bytes, default: str = "text") -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    if text.startswith(b"warc/"):
        return "warc"
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"<?xml") or text.startswith((b"<rss", b"<feed", b"<rdf")):
        if b"<rss" in text or b"<feed" in text or b"<rdf:rdf" in text:
            return "feed"
        return "html" if b"<html" in text else default
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")):
        return "html"
    return default
