"""The README's Contents lists every section of the README and of docs/*.md once, each link landing on
its heading in the file that holds it, and every relative link in those files lands on a file that
exists and, with an anchor, on a heading of that file (GitHub's anchors)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
# The topic documents the README's sections moved to; docs/recipe-history.md and docs/rules-history.md
# are logs, not among them.
LOGS = {"recipe-history.md", "rules-history.md"}
TOPIC_DOCS = [doc for doc in DOCS if doc.name not in LOGS]

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# [text](target) and ![alt](target), with an optional "title".
LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _prose(text: str) -> list[str]:
    """The lines outside fenced code blocks (an indented fence too); a `# ...` line in a ```sh block
    is a shell comment, not a heading."""
    lines, fence = [], None
    for line in text.splitlines():
        opening = FENCE.match(line)
        if opening:
            mark = opening.group(1)
            if fence is None:
                fence = mark
            elif line.strip() == mark[0] * len(line.strip()) and len(line.strip()) >= len(fence):
                fence = None
            lines.append("")
            continue
        lines.append("" if fence else line)
    return lines


def _headings(text: str, level: int | None = None) -> list[str]:
    heads = []
    for line in _prose(text):
        found = re.match(r"(#{1,6}) (.+)", line)
        if found and (level is None or len(found.group(1)) == level):
            heads.append(found.group(2).strip())
    return heads


def _sections(text: str) -> list[str]:
    return [heading for heading in _headings(text, 2) if heading != "Contents"]


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    """GitHub's ids for a file's headings: a repeated one gets -1, -2 ..."""
    seen: dict[str, int] = {}
    ids = set()
    for heading in _headings(path.read_text(encoding="utf-8")):
        base = _anchor(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        ids.add(base if count == 0 else f"{base}-{count}")
    return ids


def _links(text: str) -> list[tuple[str, str]]:
    """(text, target) of every link outside code: fenced blocks and `inline code` hold none."""
    found = []
    for line in _prose(text):
        found += LINK.findall(re.sub(r"`[^`]*`", "", line))
    return found


def _where(path: Path, target: str) -> tuple[Path, str]:
    """The file and anchor a relative link from `path` names."""
    file, _, anchor = target.partition("#")
    return ((path.parent / file).resolve() if file else path), anchor


def _contents(text: str) -> str:
    return text.split("\n## Contents\n", 1)[1].split("\n## ", 1)[0]


def test_contents_links_every_section_once_to_its_heading():
    text = README.read_text(encoding="utf-8")
    links = [(title, *_where(README, target)) for title, target in _links(_contents(text)) if "#" in target]
    holder = {title: README for title in _sections(text)}
    for doc in TOPIC_DOCS:
        for title in _sections(doc.read_text(encoding="utf-8")):
            assert title not in holder, f"{title!r} is a section of both {holder[title].name} and {doc.name}"
            holder[title] = doc
    assert sorted(title for title, _, _ in links) == sorted(holder)
    for title, file, anchor in links:
        assert (file, anchor) == (holder[title], _anchor(title)), f"Contents: {title!r} links {file.name}#{anchor}"


def test_contents_links_each_topic_document():
    linked = {_where(README, target)[0] for _, target in _links(_contents(README.read_text(encoding="utf-8")))}
    assert set(TOPIC_DOCS) <= linked
    assert len(TOPIC_DOCS) >= 6


@pytest.mark.parametrize("doc", TOPIC_DOCS, ids=lambda doc: doc.name)
def test_each_document_has_a_title_a_way_back_and_its_own_contents(doc):
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert len(_headings(text, 1)) == 1
    head = text.split("\n## ", 1)[0]
    targets = [_where(doc, target) for _, target in _links(head)]
    assert (README, "") in targets, "a link back to the README"
    assert [anchor for file, anchor in targets if file == doc] == \
        [_anchor(heading) for heading in _headings(text) if heading not in _headings(head)]


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda path: path.name)
def test_every_relative_link_lands_on_a_file_and_a_heading(path):
    links = _links(path.read_text(encoding="utf-8"))
    broken = []
    for text, target in links:
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        file, anchor = _where(path, target)
        if not file.exists() or ROOT not in file.parents:
            broken.append(f"[{text}]({target}): no file {file}")
        elif anchor and (file.suffix != ".md" or anchor not in _anchors(file)):
            broken.append(f"[{text}]({target}): no heading #{anchor} in {file.relative_to(ROOT)}")
    assert not broken, "\n".join(broken)


def test_the_links_checker_sees_what_it_must():
    """The parser is not fooled: shell comments in a fence are no headings, code holds no links."""
    text = "# T\n\n```sh\n# a comment\n```\n\n  ```sh\n  ## not this\n  ```\n\n## Real one\n\n`[x](#nowhere)` [y](#real-one)\n"
    assert _headings(text) == ["T", "Real one"]
    assert _links(text) == [("y", "#real-one")]
    assert _anchor("Production without Docker (systemd)") == "production-without-docker-systemd"
    assert _anchor("Training on a site's own labels") == "training-on-a-sites-own-labels"
