"""Ratings computed from the evidence log, never stored: one level per worker and domain.

The rules are data (``casebank/rating-rules.yaml``): recent evidence counts more (a
half-life), only a window of evidence counts at all, too little evidence means 未评估,
and 合格 or above needs evidence from several kinds of source including at least one
a trainer or supervisor controls. Criterion-referenced: nobody is compared with anybody.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .content import casebank_root, parse, read_yaml
from .evidence import FEEDBACK_SOURCE, SOURCES, SUPERSEDE_IDENTITY, utc_naive
from .filecache import by_file
from .framework import Framework, load_framework
from .item_quality import ItemQualityRules

__all__ = [
    "INSUFFICIENT",
    "RATING_COLUMNS",
    "FeedbackRules",
    "RatingRules",
    "Thresholds",
    "current_evidence",
    "decide_level",
    "feedback_counted",
    "full_post_status",
    "load_rating_rules",
    "monthly_trend",
    "rate",
    "rate_sums",
    "rating_matrix",
    "score_interval",
    "superseded_ids",
]

RATING_COLUMNS = (
    "level",
    "level_title",
    "proficient",
    "score",
    "n_evidence",
    "sources",
    "reason",
    "needs_trainer_evidence",
    "low",
    "high",
    "n_effective",
    "feedback_n",
    "feedback_mean",
    "feedback_share",
)
NOT_ASSESSED, NEEDS_IMPROVEMENT, INSUFFICIENT = "not_assessed", "needs_improvement", "insufficient"
_TOLERANCE = 1e-9  # a score exactly at a threshold reaches it despite float rounding
_NEEDED_COLUMNS = ("id", "source", "recorded_at", "supersedes", *SUPERSEDE_IDENTITY)
_CJK = r"[\u3000-\u9fff\uff00-\uffef]"
_SPACE_BESIDE_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")  # YAML folding adds them


class Thresholds(BaseModel):
    """Lowest weighted score for each level above 待提高."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    competent: float = Field(gt=0, le=1)
    skilled: float = Field(gt=0, le=1)
    expert: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _ascending(self) -> Thresholds:
        if not self.competent <= self.skilled <= self.expert:
            raise ValueError("分数线应满足 合格 ≤ 熟练 ≤ 精通")
        return self

    def ordered(self) -> tuple[tuple[str, float], ...]:
        """``(level id, threshold)`` from the highest level down."""
        return (("expert", self.expert), ("skilled", self.skilled), ("competent", self.competent))


def _filled(text: str, shown: dict[str, str], rules: BaseModel, names: tuple[str, ...]) -> str:
    """A rule's explanation for readers: each named rule replaced by its value (``shown`` first)."""
    for name, value in shown.items():
        text = text.replace(name, value)
    for name in names:
        text = text.replace(name, _number(getattr(rules, name)))
    return _SPACE_BESIDE_CJK.sub("", text)


class FeedbackRules(BaseModel):
    """How residents' follow-up scores (居民回访) count: lightly, capped, and never alone."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    explanation: str = Field(min_length=1)
    weight: float = Field(gt=0, le=1, description="一条回访记录相当于几条学习考核证据的权重")
    min_records: int = Field(ge=1, description="同一工作人员同一领域计入的回访少于此数时不计入")
    max_share: float = Field(gt=0, lt=1, description="回访在一个评定的权重中所占比例的上限")
    per_resident: int = Field(ge=1, description="同一位居民对同一名工作人员最多计入几条（取最近的）")
    per_day: int = Field(ge=1, description="同一名工作人员同一天最多计入几条回访（取最近录入的）")

    def explanation_text(self) -> str:
        names = ("min_records", "per_resident", "per_day", "weight")
        return _filled(self.explanation, {"max_share_percent": f"{self.max_share * 100:g}%"}, self, names)


class RatingRules(BaseModel):
    """The rating rules of ``casebank/rating-rules.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int = 1
    explanation: str = Field(min_length=1)
    half_life_days: float = Field(gt=0)
    window_days: float = Field(gt=0)
    min_evidence: int = Field(ge=1)
    min_source_kinds: int = Field(ge=1)
    trainer_sources: tuple[str, ...] = Field(min_length=1)
    certainty: float = Field(default=0.9, ge=0, lt=1, description="把握区间的把握程度，如 0.9；0 即不看区间")
    thresholds: Thresholds
    item_quality: ItemQualityRules = ItemQualityRules()
    resident_feedback: FeedbackRules | None = None  # without it, feedback rows count in no rating

    @field_validator("trainer_sources")
    @classmethod
    def _known_sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in SOURCES]
        if unknown:
            raise ValueError(f"未知证据来源 {', '.join(unknown)}（可用：{', '.join(SOURCES)}）")
        return value

    def explanation_text(self) -> str:
        """The explanation with the rule names replaced by their values, for readers."""
        names = ("half_life_days", "window_days", "min_evidence", "min_source_kinds")
        return _filled(self.explanation, {"certainty_percent": f"百分之{self.certainty * 100:g}"}, self, names)


def load_rating_rules() -> RatingRules:
    """Load and validate ``casebank/rating-rules.yaml`` (read again only when the file changes)."""
    return _rules_in(casebank_root() / "rating-rules.yaml")


@by_file  # a worker's query reads the rules each time: parsing the YAML was a twentieth of it
def _rules_in(path: Path) -> RatingRules:
    return parse(RatingRules, read_yaml(path), path)


def current_evidence(evidence: pd.DataFrame, *, counting: bool = True) -> pd.DataFrame:
    """The rows no later row validly supersedes (a regrade replaces what it supersedes).

    ``counting`` also leaves out the answers to questions a trainer has set aside (a
    ``set_aside`` column, as :meth:`EvidenceStore.frame` gives): they count toward no rating,
    but the item analysis still shows them.
    """
    rows = evidence[~evidence["id"].isin(superseded_ids(evidence))]
    if counting and "set_aside" in rows:
        rows = rows[~rows["set_aside"].astype(bool)]
    return rows


def superseded_ids(evidence: pd.DataFrame) -> pd.Series:
    """Ids replaced by a later row of the same worker, source, ref and item.

    Any other claim — on a colleague's row, another source's, another question's, or a
    later row — is ignored: a row can cancel only what its own kind of record made earlier.
    """
    _require_columns(evidence, ("id", "supersedes", *SUPERSEDE_IDENTITY))
    target = pd.to_numeric(evidence["supersedes"], errors="coerce")
    claims = evidence.loc[target.notna() & (target > 0), ["id", *SUPERSEDE_IDENTITY]].assign(
        target=target[target.notna() & (target > 0)].astype("int64")
    )
    if claims.empty:
        return pd.Series([], dtype="int64")
    rows = evidence[["id", *SUPERSEDE_IDENTITY]].rename(columns={"id": "target"})
    keys = ["target", *SUPERSEDE_IDENTITY]
    matched = claims.astype({c: object for c in SUPERSEDE_IDENTITY}).merge(
        rows.astype({c: object for c in SUPERSEDE_IDENTITY}), on=keys, how="inner"
    )
    return matched.loc[matched["target"] < matched["id"], "target"].drop_duplicates()


def rate(
    evidence: pd.DataFrame,
    *,
    as_of: datetime,
    rules: RatingRules | None = None,
    framework: Framework | None = None,
    by: Sequence[str] = ("worker_id", "domain"),
) -> pd.DataFrame:
    """One rating per group of ``by`` that has evidence in the window ending at ``as_of``.

    Columns: the ``by`` columns, then :data:`RATING_COLUMNS`. Groups with no evidence are
    absent; :func:`rating_matrix` fills them in as 未评估.
    """
    rules = rules or load_rating_rules()
    by = _group_columns(by)
    _require_columns(evidence, (*by, *_NEEDED_COLUMNS))
    window = _in_window(evidence, as_of=utc_naive(as_of), rules=rules)
    window = window[
        feedback_counted(window, rules=rules, when=window["recorded_at"], date=window["recorded_at"].dt.floor("D"))
    ]
    sums = (
        window.assign(n=1, ratio_sum=window["ratio"])
        .groupby([*by, "source"], sort=True)[["n", "weight", "weighted", "weight2", "ratio_sum"]]
        .sum()
        .reset_index()
    )
    return rate_sums(sums, by=by, rules=rules, framework=framework)


def rate_sums(
    sums: pd.DataFrame,
    *,
    by: Sequence[str],
    rules: RatingRules | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """Ratings from per-source sums (columns ``by…, source, n, weight, weighted, weight2``).

    ``weight2`` (the sum of squared weights) gives the effective number of observations
    behind the weighted score, and so its interval (:func:`score_interval`); without it every
    row counts as a whole observation.

    :func:`rate` computes the sums in pandas; a report over a large store has the
    database compute them (:mod:`trainkit.aggregate`). Both end here.
    """
    rules = rules or load_rating_rules()
    framework = framework or load_framework()
    by = _group_columns(by)
    if sums.empty:
        return pd.DataFrame(columns=[*by, *RATING_COLUMNS])
    if "weight2" not in sums:
        sums = sums.assign(weight2=sums["n"])
    if "ratio_sum" not in sums:
        sums = sums.assign(ratio_sum=sums["weighted"] / sums["weight"] * sums["n"])
    # A district has tens of thousands of groups: every step below is array arithmetic over
    # group codes (numpy bincount), and the words come from one call of the rule per distinct
    # case (decide_level), not per group. pandas only finds the sorted groups.
    grouped = sums.groupby(by, sort=True, observed=True)
    code = grouped.ngroup().to_numpy()
    if (code < 0).any():  # a missing group key: pandas leaves such rows out of every group
        sums, code = sums[code >= 0], code[code >= 0]
    index = grouped.size().index  # every group, those with only feedback too
    size = len(index)
    is_feedback = (sums["source"] == FEEDBACK_SOURCE).to_numpy()

    def total(column: str, rows: np.ndarray) -> np.ndarray:
        return np.bincount(code[rows], weights=sums[column].to_numpy(float)[rows], minlength=size)

    learning = ~is_feedback
    counts = total("n", learning)
    feedback = _feedback_part(
        {name: total(name, is_feedback) for name in ("n", "weight", "weighted", "weight2", "ratio_sum")},
        total("weight", learning),
        rules=rules,
    )
    weights = total("weight", learning) + feedback["weight"]
    weighteds = total("weighted", learning) + feedback["weighted"]
    weight2s = total("weight2", learning) + feedback["weight2"]
    source_code, sources = pd.factorize(sums["source"].to_numpy()[learning])
    sources = [str(source) for source in sources]
    order = [s for s in SOURCES if s in set(sources)] + sorted(set(sources) - set(SOURCES))
    column = np.argsort([order.index(s) for s in sources])  # kinds listed in SOURCES order
    rank = np.empty(len(sources), dtype=np.int64)
    rank[column] = np.arange(len(sources))
    present = (
        np.bincount(
            code[learning] * len(order) + rank[source_code.ravel()],
            weights=sums["n"].to_numpy(float)[learning],
            minlength=size * len(order),
        ).reshape(size, len(order))
        > 0
    )
    kinds_mask = present @ (1 << np.arange(len(order), dtype=np.int64)) if order else np.zeros(size, np.int64)
    trainer_mask = sum(1 << k for k, source in enumerate(order) if source in rules.trainer_sources)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(weights > 0, weighteds / weights, np.nan)
        n_effs = np.where(weight2s > 0, weights * weights / weight2s, counts)
    lows, highs = _intervals(scores, n_effs, certainty=rules.certainty)

    # the level and its reason depend only on: the count (below the minimum), the percent shown,
    # how many thresholds the score reaches, and which kinds of source are present
    n = counts.astype(np.int64)

    def kinds_of(mask: int) -> tuple[str, ...]:
        return tuple(source for k, source in enumerate(order) if mask >> k & 1)

    decided = _once_per_case(
        {
            "few": np.minimum(n, rules.min_evidence),
            "short": np.where(n < rules.min_evidence, n, 0),
            "pct": np.round(scores * 100),  # the percent the reason shows (Python's format rounds alike)
            "bars": sum((scores + _TOLERANCE >= bar).astype(int) for _, bar in rules.thresholds.ordered()),
            "kinds": kinds_mask,
        },
        lambda i: decide_level(
            n_evidence=int(n[i]), score=float(scores[i]), sources=kinds_of(int(kinds_mask[i])), rules=rules
        ),
    )
    level_ids = np.array([level for level, _ in decided], dtype=object)
    reasons = np.array([reason for _, reason in decided], dtype=object)
    open_ = np.flatnonzero(_undecided(level_ids, scores, lows, highs, rules=rules))
    more = _answers_to_settle(scores[open_], weights[open_], weight2s[open_], rules)
    level_ids[open_] = INSUFFICIENT
    reasons[open_] = _once_per_case(
        {
            "pct": np.round(scores[open_] * 100),
            "low": np.round(lows[open_] * 100),
            "high": np.round(highs[open_] * 100),
            "more": more,
            "side": scores[open_] + _TOLERANCE >= rules.thresholds.competent,
        },
        lambda i: _undecided_reason(
            float(scores[open_[i]]), float(lows[open_[i]]), float(highs[open_[i]]), int(more[i]), rules=rules
        ),
    )
    # the score reaches 合格 but the level is capped: no trainer-controlled evidence yet (缺考核)
    untested = (
        (level_ids == NEEDS_IMPROVEMENT)
        & (scores + _TOLERANCE >= rules.thresholds.competent)
        & (kinds_mask & trainer_mask == 0)
    )
    levels = {level_id: framework.level(level_id) for level_id in set(level_ids.tolist())}  # raises if missing
    kinds_text = {m: "、".join(SOURCES.get(k, k) for k in kinds_of(m)) for m in set(kinds_mask.tolist())}
    assessed = level_ids != NOT_ASSESSED
    frame = index.to_frame(index=False, name=by) if isinstance(index, pd.MultiIndex) else pd.DataFrame({by[0]: index})
    return frame.assign(
        level=_text(level_ids),
        level_title=_text([levels[level_id].title for level_id in level_ids.tolist()]),
        proficient=np.array([bool(levels[level_id].proficient) for level_id in level_ids.tolist()], dtype=bool),
        score=np.where(assessed, scores, np.nan),
        n_evidence=n,
        sources=_text([kinds_text[m] for m in kinds_mask.tolist()]),
        reason=_text([reason + note for reason, note in zip(reasons.tolist(), feedback["note"], strict=True)]),
        needs_trainer_evidence=untested,
        low=np.where(assessed, lows, np.nan),
        high=np.where(assessed, highs, np.nan),
        n_effective=n_effs,
        feedback_n=feedback["n"],
        feedback_mean=feedback["mean"],
        feedback_share=feedback["share"],
    )[[*by, *RATING_COLUMNS]]


def _text(values: Sequence[str] | np.ndarray) -> pd.Series:
    """Words per group as a plain object column, as the report reads them back (``tolist``).

    pandas 3 would store a list of str in Arrow, a copy of each of a district's 60,000 words
    there and another back out for the page (0.1 s of its report); the values are the same.
    """
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _once_per_case(keys: dict[str, np.ndarray], make: Callable[[int], Any]) -> list[Any]:
    """``make(i)`` for every row ``i`` of the equal-length ``keys``, called once per distinct
    combination of them (its first row) and repeated for the other rows of that combination."""
    case = np.zeros(len(next(iter(keys.values()))), dtype=np.int64)
    # numbered key by key, in order of first appearance: hashing, not sorting (numpy's unique
    # sorted 60,000 values twice per key, 26 ms of a district's report; this takes 9 ms)
    for values in keys.values():
        code, distinct = pd.factorize(values, use_na_sentinel=False)  # NaN is one value here
        case = pd.factorize(case * len(distinct) + code)[0]
    # cases are numbered as they first appear: the running highest number steps up at each one's first row
    first = np.flatnonzero(np.diff(np.maximum.accumulate(case), prepend=-1) > 0)
    made = [make(i) for i in first.tolist()]
    return [made[c] for c in case.tolist()]


def feedback_counted(rows: pd.DataFrame, *, rules: RatingRules, when: pd.Series, date: pd.Series) -> np.ndarray:
    """Which rows count: all but the resident feedback beyond its caps.

    Per worker, at most ``per_resident`` records of one resident (``ref``) and then at most
    ``per_day`` records of one ``date`` count, the most recent first (``when``, then ``id``).
    Both read paths call this on their window rows.
    """
    is_feedback = (rows["source"] == FEEDBACK_SOURCE).to_numpy()
    caps = rules.resident_feedback
    if caps is None or not is_feedback.any():  # without rules feedback is only shown (rate_sums counts none)
        return np.ones(len(rows), dtype=bool)
    keep = ~is_feedback
    at = np.flatnonzero(is_feedback)
    fb = pd.DataFrame(
        {
            "worker": rows["worker_id"].astype(str).to_numpy()[at],
            "resident": rows["ref"].astype(str).to_numpy()[at],
            "when": np.asarray(when)[at],
            "date": np.asarray(date)[at],
            "id": rows["id"].to_numpy()[at],
        },
        index=at,
    ).sort_values(["when", "id"], ascending=False)
    fb = fb[fb.groupby(["worker", "resident"], sort=False).cumcount().to_numpy() < caps.per_resident]
    fb = fb[fb.groupby(["worker", "date"], sort=False).cumcount().to_numpy() < caps.per_day]
    keep[fb.index.to_numpy()] = True
    return keep


def _feedback_part(totals: dict[str, np.ndarray], learning_weight: np.ndarray, *, rules: RatingRules) -> dict:
    """Per group: what the counted feedback adds to the rating's sums, its count, mean and share.

    ``totals`` holds the feedback rows' per-group sums (``n``, ``weight``, ``weighted``,
    ``weight2``, ``ratio_sum``) as arrays aligned with ``learning_weight``. Feedback counts
    only with at least ``min_records`` records and some learning evidence; each record weighs
    ``weight`` times a learning record, scaled down so that feedback carries at most
    ``max_share`` of the rating's weight.
    """
    n = totals["n"]
    caps = rules.resident_feedback
    own = learning_weight
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, totals["ratio_sum"] / n, math.nan)
        if caps is None:
            scale = np.zeros(len(n))
        else:
            full = caps.weight * totals["weight"]
            share = full / (own + full)
            shrink = np.where(share <= caps.max_share, 1.0, caps.max_share * own / ((1 - caps.max_share) * full))
            scale = np.where((n >= caps.min_records) & (own > 0), caps.weight * shrink, 0.0)
        weight = scale * totals["weight"]
        applied = np.where(weight > 0, weight / (own + weight), 0.0)
    notes = [""] * len(n)
    for at in np.flatnonzero(n > 0).tolist():  # most groups have no feedback: no words for them
        k, s, o, w = n[at], applied[at], own[at], weight[at]
        capped = bool(w > 0 and s >= caps.max_share - _TOLERANCE) if caps else False
        notes[at] = _feedback_note(int(k), float(s), own=float(o), capped=capped, rules=rules)
    return {
        "n": n.astype(int),
        "weight": weight,
        "weighted": scale * totals["weighted"],
        "weight2": scale * scale * totals["weight2"],
        "mean": mean,
        "share": applied,
        "note": notes,
    }


def _feedback_note(n: int, share: float, *, own: float, capped: bool, rules: RatingRules) -> str:
    """A clause for the rating's reason: whether the residents' feedback counted, and how much."""
    caps = rules.resident_feedback
    if n == 0:
        return ""
    if caps is None:
        return f"；居民回访{n}条，评定规则未设回访规则，不计入"
    if n < caps.min_records:
        return f"；居民回访{n}条，不足{caps.min_records}条，暂不计入"
    if own <= 0:
        return f"；居民回访{n}条，没有学习与考核证据，不单独计入"
    return f"；居民回访{n}条计入，占权重{share:.0%}" + ("（已达上限）" if capped else "")


def score_interval(score: float, n_effective: float, *, certainty: float) -> tuple[float, float]:
    """The Wilson score interval for a weighted score from ``n_effective`` observations.

    In one sentence for readers: with this many answers at this rate, the underlying rate lies
    in the interval with the stated certainty; fewer answers, wider interval.
    """
    low, high = _intervals(np.float64(score), np.float64(n_effective), certainty=certainty)
    return float(low), float(high)


def _intervals(score: np.ndarray, n_effective: np.ndarray, *, certainty: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`score_interval` for many groups at once; (0, 1) where there is nothing to go on."""
    some = n_effective > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = _wilson(np.clip(score, 0.0, 1.0), np.where(some, n_effective, 1.0), _z(certainty))
    return np.where(some, low, 0.0), np.where(some, high, 1.0)


@functools.lru_cache(maxsize=8)
def _z(certainty: float) -> float:
    """The two-sided normal quantile for ``certainty`` (1.6449 for 0.9)."""
    return NormalDist().inv_cdf(1 - (1 - certainty) / 2)


def _wilson(p, n, z: float):  # noqa: ANN001, ANN202
    """Wilson bounds for rate ``p`` over ``n`` (> 0) observations; numbers or numpy arrays alike."""
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.maximum(0.0, centre - half), np.minimum(1.0, centre + half)


def _undecided(
    level_ids: np.ndarray, score: np.ndarray, low: np.ndarray, high: np.ndarray, *, rules: RatingRules
) -> np.ndarray:
    """Which groups become 证据不足: their interval crosses the 合格 line (arrays, one per group).

    Not those 未评估, and not a level capped for want of trainer evidence (缺考核): more
    answers of the same kind would not change it.
    """
    bar = rules.thresholds.competent
    reached = score + _TOLERANCE >= bar
    crosses = np.where(
        reached,
        (low < bar - _TOLERANCE) & (bar - _TOLERANCE <= high),
        (low <= bar - _TOLERANCE) & (bar - _TOLERANCE < high),
    )
    capped = (level_ids == NEEDS_IMPROVEMENT) & reached
    return (level_ids != NOT_ASSESSED) & crosses & ~capped


def _undecided_reason(score: float, low: float, high: float, more: int, *, rules: RatingRules) -> str:
    """Why a group is 证据不足, and what would settle it."""
    bar = rules.thresholds.competent
    side = "达到" if score + _TOLERANCE >= bar else "低于"
    return (
        f"加权得分率{score:.0%}，{rules.certainty:.0%}把握区间 {low:.0%}–{high:.0%} 跨过合格线{bar:.0%}，"
        f"还不能确定是否{side}合格线：{_what_settles(more)}"
    )


_MOST_MORE = 60  # beyond this many more answers the kit says only that more are needed


def _answers_to_settle(score: np.ndarray, weight: np.ndarray, weight2: np.ndarray, rules: RatingRules) -> np.ndarray:
    """Per group, how many more graded answers at the same rate would take the interval off the
    合格 line (1–60), or 0 when even 60 would not; all groups at once."""
    bar = rules.thresholds.competent
    line, z = bar - _TOLERANCE, _z(rules.certainty)
    # A Wilson bound crosses the line b only where n_effective ≥ need = z²·b(1−b)/(p−b)² (the bounds
    # are the roots of (p−b)² = z²·b(1−b)/n). With m more answers n_effective is (w+m)²/(w2+m), so
    # the condition is a parabola in m: m² + (2w−need)·m + w² − need·w2 ≥ 0. The first m where it
    # holds is 1 or the first whole number past its larger root; the Wilson bounds themselves are
    # tried only there (1, and that number ±1) instead of at all 60 (a district: 30,000 groups,
    # 0.13 s → 0.02 s). Every m between 1 and that number lies at least 1 inside the roots, where
    # rounding cannot reach; a group none of the few tries settles that way is tried at every m.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        need = z * z * line * (1 - line) / (np.clip(score, 0.0, 1.0) - line) ** 2
        slope, rest = 2 * weight - need, weight * weight - need * weight2
        past = np.ceil((-slope + np.sqrt(slope * slope - 4 * rest)) / 2)
        first = np.where(1 + slope + rest >= 0, 1.0, past)
    tries = np.stack([np.ones_like(first), first - 1, first, first + 1], axis=1)
    tries = np.where(np.isfinite(tries), np.clip(tries, 1, _MOST_MORE), _MOST_MORE)
    settled = _settled(score[:, None], weight[:, None], weight2[:, None], tries, rules)
    found = np.where(settled, tries, np.inf).min(axis=1)
    beyond = (first >= _MOST_MORE + 2) & ~settled.any(axis=1)  # past the last try by a whole answer
    found = np.where(beyond, 0, found)
    unsure = np.flatnonzero(~np.isfinite(found))
    if len(unsure):  # near a root by rounding, or no number at all: every m from 1 to 60
        more = np.arange(1, _MOST_MORE + 1, dtype=float)[None, :]
        every = _settled(score[unsure, None], weight[unsure, None], weight2[unsure, None], more, rules)
        found[unsure] = np.where(every.any(axis=1), every.argmax(axis=1) + 1, 0)
    return found.astype(np.int64)


def _settled(score: np.ndarray, weight: np.ndarray, weight2: np.ndarray, more: np.ndarray, rules: RatingRules):  # noqa: ANN202
    """Whether ``more`` graded answers at the same rate take each interval off the 合格 line."""
    bar = rules.thresholds.competent
    low, high = _intervals(score, (weight + more) ** 2 / (weight2 + more), certainty=rules.certainty)
    return np.where(score + _TOLERANCE >= bar, low >= bar - _TOLERANCE, high < bar - _TOLERANCE)


def _what_settles(more: int) -> str:
    """What would settle an undecided rating, from :func:`_answers_to_settle`."""
    if more:
        return f"再完成约 {more} 道考核题（得分率不变时）即可判定"
    return "得分率离合格线太近，需要更多考核证据才能判定"


def decide_level(*, n_evidence: int, score: float, sources: Iterable[str], rules: RatingRules) -> tuple[str, str]:
    """The level id for one group and a short Chinese sentence saying why."""
    if n_evidence < rules.min_evidence:
        return NOT_ASSESSED, f"证据不足{rules.min_evidence}条（现有{n_evidence}条）"
    pct = f"{score:.0%}"
    reached = next(((lv, bar) for lv, bar in rules.thresholds.ordered() if score + _TOLERANCE >= bar), None)
    if reached is None:
        return NEEDS_IMPROVEMENT, (f"加权得分率{pct}，低于合格线{rules.thresholds.competent:.0%}")
    kinds = set(sources)
    if kinds == {"self_check"}:
        return NEEDS_IMPROVEMENT, f"加权得分率{pct}，但只有自测证据，最高评为待提高"
    if not kinds & set(rules.trainer_sources):
        trainer = "、".join(SOURCES[s] for s in rules.trainer_sources)
        return NEEDS_IMPROVEMENT, (f"加权得分率{pct}，但缺少培训师或督导的证据（{trainer}），最高评为待提高")
    if len(kinds) < rules.min_source_kinds:
        return NEEDS_IMPROVEMENT, (
            f"加权得分率{pct}，但证据只来自{len(kinds)}类来源（至少需要{rules.min_source_kinds}类），最高评为待提高"
        )
    level_id, bar = reached
    title = {"competent": "合格", "skilled": "熟练", "expert": "精通"}[level_id]
    return level_id, f"加权得分率{pct}，达到{title}线{bar:.0%}（{len(kinds)}类来源）"


def rating_matrix(ratings: pd.DataFrame, workers: Sequence[str], framework: Framework | None = None) -> pd.DataFrame:
    """Workers × every framework domain (ids), holding level ids; 未评估 where no rating."""
    framework = framework or load_framework()
    _require_columns(ratings, ("worker_id", "domain", "level"))
    domains = [d.id for d in framework.domains]
    index = pd.Index(list(dict.fromkeys(workers)), name="worker_id", dtype=object)
    matrix = pd.DataFrame(NOT_ASSESSED, index=index, columns=pd.Index(domains, dtype=object), dtype=object)
    known = ratings[ratings["worker_id"].isin(index) & ratings["domain"].isin(domains)]
    if known.empty:
        return matrix
    found = known.pivot(index="worker_id", columns="domain", values="level")
    return found.reindex(index=index, columns=matrix.columns).astype(object).fillna(NOT_ASSESSED)


def full_post_status(matrix: pd.DataFrame, *, framework: Framework | None = None) -> pd.Series:
    """全岗通 per worker: proficient (合格 or above) in every domain of the matrix."""
    framework = framework or load_framework()
    proficient = {lv.id for lv in framework.scale if lv.proficient}
    if matrix.shape[1] == 0:
        return pd.Series(False, index=matrix.index, name="full_post", dtype=bool)
    status = matrix.isin(proficient).all(axis=1).astype(bool)
    status.name = "full_post"
    return status


def monthly_trend(evidence: pd.DataFrame, *, by: Sequence[str] = ("domain",)) -> pd.DataFrame:
    """Mean score ratio per calendar month (``YYYY-MM``), superseded rows left out.

    Columns: the ``by`` columns, ``month``, ``score``, ``n_evidence``.
    """
    by = list(by)
    _require_columns(evidence, (*by, "recorded_at", "id", "supersedes", *SUPERSEDE_IDENTITY))
    rows = _with_ratio(current_evidence(evidence))
    columns = [*by, "month", "score", "n_evidence"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(month=pd.to_datetime(rows["recorded_at"]).dt.strftime("%Y-%m"))
    trend = rows.groupby([*by, "month"], sort=True).agg(score=("ratio", "mean"), n_evidence=("ratio", "size"))
    return trend.reset_index()[columns]


# -- helpers ---------------------------------------------------------------------------


def _in_window(evidence: pd.DataFrame, *, as_of: datetime, rules: RatingRules) -> pd.DataFrame:
    rows = evidence.assign(recorded_at=pd.to_datetime(evidence["recorded_at"]))
    rows = current_evidence(rows[(rows["recorded_at"] <= as_of).to_numpy()])
    age_days = (pd.Timestamp(as_of) - rows["recorded_at"]).dt.total_seconds().to_numpy() / 86400
    rows, age_days = rows[age_days <= rules.window_days], age_days[age_days <= rules.window_days]
    ratio = _ratio(rows)
    weight = 0.5 ** (age_days / rules.half_life_days)
    return rows.assign(
        age_days=age_days,
        ratio=ratio,
        weight=weight,
        weighted=weight * ratio,
        weight2=weight * weight,
    )


def _with_ratio(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(ratio=_ratio(rows))


def _ratio(rows: pd.DataFrame) -> np.ndarray:
    """Each row's score ratio: its ``ratio`` column, or score ÷ max_score."""
    if "ratio" in rows.columns:
        return rows["ratio"].to_numpy(dtype=float)
    _require_columns(rows, ("score", "max_score"))
    return rows["score"].to_numpy(dtype=float) / rows["max_score"].to_numpy(dtype=float)


def _group_columns(by: Sequence[str]) -> list[str]:
    if isinstance(by, str) or not by:
        raise ValueError(f"by 应是一组列名，例如 ('worker_id', 'domain')，收到：{by!r}")
    return list(by)


def _require_columns(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        raise ValueError(f"证据表缺少列：{', '.join(missing)}（请用 EvidenceStore.frame() 取数）")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
