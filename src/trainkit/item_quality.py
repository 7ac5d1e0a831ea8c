"""How good each question is, read from the answers: the item analysis examination bodies run.

Per question (evidence ``ref``): how many workers answered it, the share fully right, the mean
score, and its *discrimination* — the share right among the strongest workers minus the share
right among the weakest (upper–lower groups, ``group_share`` of the workers each, strength
being the worker's mean score on the *other* questions of the same domain). A question the
strong miss and the weak get right is probably keyed wrong; one that separates nobody tells
nothing; one everybody gets right only checks attendance. The thresholds are data in
``casebank/rating-rules.yaml`` (``item_quality``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from .evidence import SOURCES
from .framework import Framework

__all__ = ["FLAGS", "QUESTION_COLUMNS", "ItemQualityRules", "question_table"]

FLAGS = {  # in the order a trainer should look at them
    "miskeyed": "可能答案有误",
    "too_hard": "过难",
    "low_discrimination": "区分度低",
    "too_easy": "过易",
}
QUESTION_COLUMNS = [
    "ref",
    "domains",
    "sources",
    "attempts",
    "workers",
    "correct_rate",
    "mean_score",
    "discrimination",
    "strong_miss",
    "flags",
]


class ItemQualityRules(BaseModel):
    """When a question is flagged for a trainer to look at."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    group_share: float = Field(default=0.27, gt=0, le=0.5, description="强、弱两组各占作答人数的比例")
    min_workers: int = Field(default=10, ge=2, description="作答人数少于此数不作判断")
    low_discrimination: float = Field(default=0.2, gt=0, le=1, description="区分度低于此值为区分度低")
    miskey_discrimination: float = Field(
        default=-0.3, lt=0, ge=-1, description="区分度不高于此值、且强组多数答错，提示可能答案有误"
    )
    too_easy: float = Field(default=0.95, gt=0, le=1, description="答对率不低于此值为过易")
    too_hard: float = Field(
        default=0.1, ge=0, lt=1, description="答对率不高于此值为过难（几乎没人答对：先查答案键，再查是否讲过）"
    )


def question_table(rows: pd.DataFrame, framework: Framework, rules: ItemQualityRules) -> pd.DataFrame:
    """One row per question, worst-answered first, with discrimination and flags.

    ``rows`` are current evidence rows (superseded ones left out) with ``worker_id``, ``domain``,
    ``source``, ``ref`` and ``ratio``.
    """
    if rows.empty:
        return pd.DataFrame(columns=QUESTION_COLUMNS)
    # A year of a district's answers is a million rows: every figure below is counted over integer
    # codes with numpy (bincount), sorted codes standing for sorted names, no Python per row.
    ref, refs = _codes(rows["ref"])
    worker, workers = _codes(rows["worker_id"])
    domain, domains = _codes(rows["domain"])
    source, sources = _codes(rows["source"])
    ratio = rows["ratio"].to_numpy(dtype=float)
    correct = (ratio >= 1 - 1e-9).astype(float)
    attempts = np.bincount(ref, minlength=len(refs))
    titles = {d.id: d.title for d in framework.domains}
    stats = pd.DataFrame(
        {
            "attempts": attempts,
            "workers": np.bincount(_pairs(ref, worker, len(workers)) // len(workers), minlength=len(refs)),
            "correct_rate": np.bincount(ref, correct, minlength=len(refs)) / attempts,
            "mean_score": np.bincount(ref, ratio, minlength=len(refs)) / attempts,
            "domains": _names_per_ref(
                ref, domain, domains, len(refs), lambda ds: "、".join(titles.get(d, d) for d in sorted(ds))
            ),
            "sources": _names_per_ref(
                ref, source, sources, len(refs), lambda ss: "、".join(v for k, v in SOURCES.items() if k in ss)
            ),
        },
        index=pd.Index(refs, name="ref"),
    )
    stats["discrimination"], stats["strong_miss"] = _discrimination(
        ref, worker * len(domains) + domain, ratio, correct, len(refs), rules
    )
    stats["flags"] = _flags(stats, rules)
    stats = stats.reset_index().astype({"ref": str})
    # worst first; shares rounded for the order, so that equal ones tie however their sums were added
    order = stats.assign(right=stats["correct_rate"].round(12), mean=stats["mean_score"].round(12))
    order = order.sort_values(["right", "mean", "attempts", "ref"], ascending=[True, True, False, True]).index
    return stats.loc[order, QUESTION_COLUMNS].reset_index(drop=True)


def _codes(column: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes of ``column`` in the sorted order of its values, and those values."""
    codes, uniques = pd.factorize(column, sort=True)
    return codes.astype(np.int64), list(np.asarray(uniques, dtype=object))


_DENSE_PAIRS = 1 << 26  # up to this many possible pairs, found with one count (a district: 2 million)


def _pairs(first: np.ndarray, second: np.ndarray, size: int) -> np.ndarray:
    """The distinct pairs of codes, each as ``first * size + second``, in ascending order.

    Counted in one array when the pairs are few enough (a tenth of the time of hashing a
    million of them), else found by hashing."""
    pair = first * size + second
    if not len(pair):
        return pair
    if (int(first.max()) + 1) * size <= _DENSE_PAIRS:
        return np.flatnonzero(np.bincount(pair))
    return np.sort(pd.unique(pair))


def _names_per_ref(ref: np.ndarray, code: np.ndarray, names: list, size: int, words) -> list[str]:  # noqa: ANN001
    """Per question, ``words`` of the set of names (domains or sources) its answers carry."""
    found: list[set] = [set() for _ in range(size)]
    for pair in _pairs(ref, code, len(names)).tolist():
        found[pair // len(names)].add(names[pair % len(names)])
    return [words(s) for s in found]


def _discrimination(
    ref: np.ndarray, person: np.ndarray, ratio: np.ndarray, correct: np.ndarray, size: int, rules: ItemQualityRules
) -> tuple[np.ndarray, np.ndarray]:
    """Upper–lower discrimination and the strong workers' miss rate, per question.

    ``person`` codes a worker in a domain; strength is their mean on the other questions of it.
    Within a question, ties in strength go by worker, domain order (the order of the codes).
    """
    key = person * size + ref
    by_key = np.argsort(key)  # any order among equal keys: they are summed
    runs, keys = _runs(key[by_key])  # one answer per worker, domain and question, in that order
    answer = np.empty_like(runs)
    answer[by_key] = runs
    n = np.bincount(answer)
    mean, right = np.bincount(answer, ratio) / n, np.bincount(answer, correct) / n
    owner, question = _runs(keys // size)[0], keys % size
    total, count = np.bincount(owner, mean), np.bincount(owner)
    other = count[owner] > 1  # strength from other questions only
    # in steps of 1e-12: equal strengths stay tied whatever order their sums were added in
    strength = np.rint((total[owner] - mean)[other] / (count[owner] - 1)[other] * 1e12)
    question, right = question[other], right[other]
    low, span = (strength.min(), strength.max() - strength.min() + 1) if len(strength) else (0, 1)
    if span * size < 2**62:  # one sort by question, then strength; ties keep worker order
        order = _stable_order(question * np.int64(span) + (strength - low).astype(np.int64))
    else:  # scores beyond any sensible range: the same order, more slowly
        order = np.lexsort((strength, question))
    answered = np.bincount(question, minlength=size)
    start = np.concatenate(([0], np.cumsum(answered)[:-1]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - start[question[order]] + 1
    group = np.maximum(1, np.floor(answered * rules.group_share))[question]
    upper, lower = rank > answered[question] - group, rank <= group
    with np.errstate(divide="ignore", invalid="ignore"):
        strong = np.bincount(question[upper], right[upper], minlength=size) / np.bincount(
            question[upper], minlength=size
        )
        weak = np.bincount(question[lower], right[lower], minlength=size) / np.bincount(question[lower], minlength=size)
    judged = answered >= rules.min_workers
    return np.where(judged, strong - weak, np.nan), np.where(judged, 1 - strong, np.nan)


def _stable_order(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` from two quick sorts: equal keys in the order they came.

    numpy's stable sort of a million 64-bit keys takes four times as long as its quick sort;
    the second sort orders each run of equal keys by position (run number, then position:
    unique numbers, so the quick sort's order among equals does not arise).
    """
    first = np.argsort(key)
    ordered = key[first]
    run = np.cumsum(np.concatenate(([False], ordered[1:] != ordered[:-1])))
    return first[np.argsort(run * np.int64(len(key)) + first)]


def _runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted values: each one's run number (0, 1, …) and the value of each run."""
    starts = np.concatenate(([True], ordered[1:] != ordered[:-1])) if len(ordered) else np.zeros(0, bool)
    return np.cumsum(starts) - 1, ordered[starts]


def _flags(stats: pd.DataFrame, rules: ItemQualityRules) -> pd.Series:
    d, miss, right = stats["discrimination"], stats["strong_miss"], stats["correct_rate"]
    judged = d.notna()
    miskeyed = judged & (d <= rules.miskey_discrimination) & (miss >= 0.5)
    easy = judged & (right >= rules.too_easy)
    hard = judged & ~miskeyed & (right <= rules.too_hard)
    flat = judged & ~miskeyed & ~easy & ~hard & (d < rules.low_discrimination)
    words = np.select(
        [miskeyed, hard, easy, flat],
        [FLAGS["miskeyed"], FLAGS["too_hard"], FLAGS["too_easy"], FLAGS["low_discrimination"]],
        default="",
    )
    return pd.Series(words, index=stats.index)
