"""Source lists: a plain file (one URL a line, `#` comments) or OPML, the format feed readers
export (`<outline xmlUrl=...>`, and `htmlUrl` for an outline without a feed)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from storyline.follow.parse import declares_entities
from storyline.follow.urls import normalise, problem

MAX_LIST_BYTES = 20 * 2**20


def read_list(path: Path) -> tuple[list[str], list[str]]:
    """(source URLs, problems with line numbers) from a plain list or an OPML file."""
    data = path.read_bytes()[:MAX_LIST_BYTES]
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096].lower()
    if head.startswith(b"<?xml") or b"<opml" in head:
        return _opml(data, path.name)
    urls, problems = [], []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url, why = check(line.split()[0])  # the URL, then maybe a comment
        if url:
            urls.append(url)
        else:
            problems.append(f"{path.name}:{number}: {why}")
    return urls, problems


def _opml(data: bytes, name: str) -> tuple[list[str], list[str]]:
    if declares_entities(data):
        return [], [f"{name}: XML declares entities: refused"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [], [f"{name}: not a readable OPML file ({exc})"]
    if root is None:
        return [], [f"{name}: not a readable OPML file"]
    urls, problems = [], []
    for outline in root.iter("outline"):
        raw = outline.get("xmlUrl") or outline.get("xmlurl") or outline.get("htmlUrl")
        if not raw:
            continue  # a folder of outlines
        url, why = check(raw)
        if url:
            urls.append(url)
        else:
            problems.append(f"{name}: outline {outline.get('text') or raw!r}: {why}")
    return urls, problems


def check(raw: str) -> tuple[str | None, str]:
    """A source URL in canonical form, or why it is refused."""
    why = problem(raw.strip())
    if why:
        return None, why
    url = normalise(raw)
    return (url, "") if url else (None, "not a usable URL")


def gather(args: list[str], files: list[Path]) -> tuple[list[str], list[str]]:
    """Every source named on the command line and in the lists, in order, once."""
    urls, problems = [], []
    for raw in args:
        url, why = check(raw)
        if url:
            urls.append(url)
        else:
            problems.append(f"{raw}: {why}")
    for path in files:
        more, bad = read_list(path)
        urls += more
        problems += bad
    return list(dict.fromkeys(urls)), problems
