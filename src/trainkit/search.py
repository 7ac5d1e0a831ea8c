"""Search by words, offline: lessons, cases, self-check questions and law articles.

Chinese is written without spaces, so text is cut into character bigrams (``低保申请`` →
``低保``, ``保申``, ``申请``); a run of Latin letters or digits is one token (``1067``). A
document matches when it holds most of the query's tokens; documents holding all of them,
the whole query as written, or the tokens in their title come first.

The index is rebuilt only when a content file changes: it is kept with the size and
modification time of every lesson, case, bank and notebook it was built from. The statute
texts are package data and are read once per process.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .content import casebank_root, yaml_files
from .framework import load_framework
from .lessons import Lesson, load_lessons

__all__ = ["KINDS", "Hit", "search", "tokens"]

KINDS = {"lesson": "课程", "case": "案例", "item": "自测题", "law": "法条"}
_RANK = {kind: i for i, kind in enumerate(KINDS)}
_LATIN = re.compile(r"[0-9a-z]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[#*|`>]+|-{3,}|<[^>]*>|\]\([^)]*\)|\[")  # Markdown signs, tags and link targets
_REPO = Path(__file__).resolve().parents[2]


def _norm(text: str) -> str:
    """Full-width forms folded (NFKC), lower case, runs of whitespace as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


class _Folding(dict):
    """``str.translate`` table, filled as characters are met: each folded as :func:`_norm`
    folds it, where that keeps it one character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        self[code] = folded if len(folded) == 1 else char.lower()[:1] or char
        return self[code]


_FOLDING = _Folding()


def _fold(text: str) -> str:
    """``text`` folded character by character: positions in the result are positions in ``text``."""
    return text.translate(_FOLDING)


def tokens(text: str) -> set[str]:
    """The bigrams of each run of Chinese characters and each Latin/digit word; a lone
    Chinese character counts as itself."""
    text = _norm(text)
    out = set(_LATIN.findall(text))
    for run in _CJK.findall(text):
        out.update(map(str.__add__, run, run[1:])) if len(run) > 1 else out.add(run)
    return out


@dataclass(frozen=True)
class Hit:
    """One search result. ``lesson`` is where to read it (``None``: no lesson has it)."""

    kind: str  # lesson / case / item / law
    title: str
    text: str  # as written, whitespace collapsed: for the snippet
    folded: str = field(repr=False)  # ``text`` folded character by character, for matching
    lesson: Lesson | None
    order: int
    body: str = ""  # a law article's text as published (paragraphs kept)
    grams: frozenset[str] = field(repr=False, default=frozenset())
    title_grams: frozenset[str] = field(repr=False, default=frozenset())

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind]

    def snippet(self, query: str, *, width: int = 80) -> list[tuple[str, bool]]:
        """About ``width`` characters around the first match, as ``(text, matched)`` pieces."""
        wanted = sorted(tokens(query), key=len, reverse=True)
        text, low = self.text, self.folded
        starts = [i for i in (low.find(t) for t in wanted) if i >= 0]
        begin = max(0, min(starts) - width // 4) if starts else 0
        window, lowered = text[begin : begin + width], low[begin : begin + width]
        marked = [False] * len(window)
        for token in wanted:
            at = lowered.find(token)
            while at >= 0:
                marked[at : at + len(token)] = [True] * len(token)
                at = lowered.find(token, at + 1)
        pieces: list[tuple[str, bool]] = [("…", False)] if begin else []
        for char, hit in zip(window, marked, strict=True):
            if pieces and pieces[-1][1] == hit and pieces[-1][0] != "…":
                pieces[-1] = (pieces[-1][0] + char, hit)
            else:
                pieces.append((char, hit))
        if begin + width < len(text):
            pieces.append(("…", False))
        return pieces


def _doc(
    kind: str,
    title: str,
    parts: Iterable[str | None],
    lesson: Lesson | None,
    order: int,
    *,
    extra: Iterable[str] = (),
    body: str = "",
) -> Hit:
    text = _SPACE.sub(" ", " ".join(p for p in (title, *parts) if p)).strip()
    grams = frozenset(tokens(text) | set(extra))
    return Hit(kind, title, text, _fold(text), lesson, order, body, grams, frozenset(tokens(title)))


def _markdown(notebook: Path) -> str:
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return ""  # a lesson whose notebook is missing or damaged is still found by its title
    text = " ".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    return _MARKUP.sub(" ", text)


@cache
def _law_docs() -> tuple[tuple[str, int, str, str, str | None, str], ...]:
    """(slug, number, law title, label, chapter, text) of every article of every current law."""
    from .law import _law, laws

    return tuple(
        (slug, a["number"], title, a["label"], a.get("chapter"), a["text"])
        for slug, title in laws().items()
        for a in _law(slug)["articles"]
    )


def _cited(law: str, number: int) -> tuple[str, int] | None:
    from .law import LawError, article

    try:
        return article(law, number).law, number
    except LawError:
        return None  # a citation the content check reports; search just leaves it out


def _build(notebooks: Path | None) -> tuple[list[Hit], dict[str, list[int]]]:
    from .cases import load_cases
    from .law import Citation
    from .quiz import load_banks

    fw = load_framework()
    lessons = load_lessons()
    by_bank = {b: lesson for lesson in reversed(lessons) for b in lesson.banks}
    by_case = {c: lesson for lesson in reversed(lessons) for c in lesson.cases}
    cited: dict[tuple[str, int] | None, Lesson] = {}  # a law article → the first lesson citing it
    docs: list[Hit] = []
    for lesson in lessons:
        markdown = _markdown(notebooks / lesson.notebook) if notebooks else ""
        titles = [fw.items[i].title for i in lesson.items if i in fw.items]
        parts = [fw.domain(lesson.domain).title, *titles, markdown]
        docs.append(_doc("lesson", lesson.title, parts, lesson, lesson.order))
    for n, case in enumerate(sorted(load_cases().values(), key=lambda c: c.id)):
        home = by_case.get(case.id)
        if home is not None:
            for c in case.citations:
                if c.version is None:
                    cited.setdefault(_cited(c.law, c.article), home)
        parts = [case.facts, *(p.position for p in case.parties), *(s.prompt for s in case.steps)]
        parts += [o.text for s in case.steps for o in s.options] + [case.debrief.law, case.debrief.mediator]
        docs.append(_doc("case", case.title, parts, home, n))
    for bank in load_banks().values():
        home = by_bank.get(bank.id)
        for item in bank.items:
            for source in item.sources:
                if home is not None and isinstance(source, Citation) and source.version is None:
                    cited.setdefault(_cited(source.law, source.article), home)
            parts = [bank.title, *(o.text for o in item.options), item.explanation]
            docs.append(_doc("item", item.prompt, parts, home, len(docs)))
    for n, (slug, number, law_title, label, chapter, text) in enumerate(_law_docs()):
        title = f"《{law_title.removeprefix('中华人民共和国')}》{label}"
        parts = [law_title, chapter or "", text]
        docs.append(_doc("law", title, parts, cited.get((slug, number)), n, extra=[str(number)], body=text))
    inverted: defaultdict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for gram in doc.grams:
            inverted[gram].append(i)
    return docs, dict(inverted)


_INDEX: dict[tuple, tuple[list[Hit], dict[str, list[int]]]] = {}


def _stamp(paths: Iterable[Path]) -> tuple:
    out = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        out.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(out)


def _index(notebooks: Path | None) -> tuple[list[Hit], dict[str, list[int]]]:
    files = [*yaml_files("lessons"), *yaml_files("cases"), *yaml_files("quiz"), casebank_root() / "framework.yaml"]
    if notebooks is not None:
        files += sorted(notebooks.glob("*.ipynb"))
    key = (str(notebooks), _stamp(files))
    if key not in _INDEX:
        _INDEX.clear()
        _INDEX[key] = _build(notebooks)
    return _INDEX[key]


def _default_notebooks() -> Path | None:
    folder = _REPO / "notebooks"
    return folder if folder.is_dir() else None


def search(query: str, *, limit: int = 20, notebooks: Path | None = None) -> list[Hit]:
    """The best ``limit`` matches for ``query``; ``notebooks`` (default: the project's) adds
    each lesson's text to its title."""
    wanted = tokens(query)
    if not wanted:
        return []
    docs, inverted = _index(notebooks or _default_notebooks())
    if len(wanted) > 1 and any(len(t) > 1 for t in wanted):
        wanted = {t for t in wanted if len(t) > 1 or t.isascii()}  # a lone 的 or 第 says little beside words
    counts: Counter[int] = Counter()
    singles = {t for t in wanted if len(t) == 1 and not t.isascii()}
    for token in wanted - singles:
        counts.update(inverted.get(token, ()))
    for token in singles:  # a one-character query: look for the character itself
        counts.update(i for i, d in enumerate(docs) if token in d.folded)
    phrase = _norm(query)
    need = max(1, -(-len(wanted) * 6 // 10))  # at least 60% of the tokens
    found = []
    for i, hits in counts.items():
        if hits < need:
            continue
        doc = docs[i]
        in_title = len(wanted & doc.title_grams)
        found.append(((-hits, phrase not in doc.folded, -in_title, _RANK[doc.kind], doc.order), doc))
    found.sort(key=lambda pair: pair[0])
    return [doc for _key, doc in found[:limit]]
