"""The README's Contents lists every section once, and each link lands on a heading (GitHub's anchors)."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _sections(text: str) -> list[str]:
    heads, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## ") and line != "## Contents":
            heads.append(line[3:].strip())
    return heads


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_contents_links_every_section_once_to_its_heading():
    text = README.read_text(encoding="utf-8")
    contents = text.split("## Contents", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"\[([^\]]+)\]\(#([^)]+)\)", contents)
    sections = _sections(text)
    assert sorted(title for title, _ in links) == sorted(sections)
    assert all(target == _anchor(title) for title, target in links)
