"""Values several programs read of one register, worked out once when a register is prepared
for screening (``trainkit screen``, :func:`~trainkit.district.screen.screen_program`) and handed
to every program as columns: each resident's birth date as calendar fields, counted income and
残疾人证, each household's applicant.

The helpers that programs call (:func:`~trainkit.policy.columns.counted_income`,
:func:`~trainkit.policy.columns.applicant_of`, :func:`~trainkit.policy.programs._person.cards`,
:func:`birth_fields`) read these columns when a register carries them and work the value out
when it does not — one household decided alone, where adding the columns costs more than
working each value out for the program that asks: one computation either way, here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .household import vocabulary

__all__ = [
    "APPLICANT",
    "BIRTH",
    "CARD",
    "GRADE_TITLES",
    "INCOME",
    "KIND_TITLES",
    "applicant_numbers",
    "birth_fields",
    "card_columns",
    "income_counted",
    "with_shared",
]

INCOME = "shared_counted_income"  # a resident's monthly income of the kinds that count
CARD = ("shared_card_held", "shared_card_kind", "shared_card_grade", "shared_card_title")  # as cards() gives them
APPLICANT = "shared_applicant_no"  # a household's applicant member_no
BIRTH = ("shared_birth_year", "shared_birth_month", "shared_birth_day", "shared_birth_known")  # birth_fields()

KIND_TITLES = {
    "physical": "肢体",
    "intellectual": "智力",
    "psychiatric": "精神",
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "multiple": "多重",
}
GRADE_TITLES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def with_shared(households: pd.DataFrame, residents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A numbered register with the shared values added as columns (households, residents)."""
    held, kind, grade, title = card_columns(residents)
    if "birth_date" in residents.columns and BIRTH[0] not in residents.columns:  # residents_on may have them
        residents = residents.assign(**dict(zip(BIRTH, birth_fields(residents), strict=True)))
    residents = residents.assign(
        **{INCOME: income_counted(residents), CARD[0]: held, CARD[1]: kind, CARD[2]: grade, CARD[3]: title}
    )
    return households.assign(**{APPLICANT: applicant_numbers(households, residents)}), residents


def birth_fields(residents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each resident's birth year, month and day (1970-01-01 where none is registered) and
    whether a birth date is registered, read from ``birth_date`` once (the prepared register
    carries them)."""
    if BIRTH[0] in residents.columns:
        return tuple(residents[name].to_numpy() for name in BIRTH)
    dates = residents["birth_date"]
    when = dates if pd.api.types.is_datetime64_any_dtype(dates) else pd.to_datetime(dates, errors="coerce")
    stamps = pd.DatetimeIndex(when)  # its calendar fields are read straight from the timestamps
    known = ~np.asarray(stamps.isna())
    if not known.all():
        stamps = stamps.where(known, pd.Timestamp("1970-01-01"))
    return (
        np.asarray(stamps.year, dtype=np.int64),
        np.asarray(stamps.month, dtype=np.int64),
        np.asarray(stamps.day, dtype=np.int64),
        known,
    )


def income_counted(residents: pd.DataFrame) -> np.ndarray:
    """Each resident's monthly income of the kinds that count, rounded to the cent."""
    total = np.zeros(len(residents))
    for kind in vocabulary().income_kinds:  # added in the vocabulary's order, a blank as 0
        if kind.counted:
            monthly = residents[f"income_{kind.id}"].to_numpy(dtype=float)
            total += np.where(np.isnan(monthly), 0.0, monthly)
    return np.round(total, 2)


def applicant_numbers(households: pd.DataFrame, residents: pd.DataFrame) -> np.ndarray:
    """Each household's applicant ``member_no`` (the first applicant; with none, the first member)."""
    k = len(households)
    home = residents["household_id"].to_numpy(dtype=np.int64)
    member = residents["member_no"].to_numpy(dtype=np.int64)
    first = np.full(k, np.iinfo(np.int64).max)
    np.minimum.at(first, home, member)
    chosen = np.full(k, np.iinfo(np.int64).max)
    applicant = (residents["relation"] == "applicant").to_numpy()
    np.minimum.at(chosen, home[applicant], member[applicant])
    return np.where(chosen == np.iinfo(np.int64).max, first, chosen)


def card_columns(residents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Categorical]:
    """Each resident's 残疾人证: (has one, kind index into ``KIND_TITLES`` (-1: none), grade
    (NaN: none), its title such as 智力残疾三级 (missing without a card))."""
    from .columns import position_in, texts  # columns reads this module's values

    kinds = list(KIND_TITLES)
    kind = position_in(residents["disability_kind"], kinds)
    grade = pd.to_numeric(residents["disability_grade"], errors="coerce").to_numpy(dtype=float)
    disabled = (kind >= 0) & ~np.isnan(grade)
    names = [f"{KIND_TITLES[k]}残疾{GRADE_TITLES[g]}" for k in kinds for g in GRADE_TITLES]
    held = np.flatnonzero(disabled)  # the few card holders: the rest keep "none"
    card_kind, card_grade, code = np.full(len(kind), -1), np.full(len(kind), np.nan), np.full(len(kind), -1)
    card_kind[held], card_grade[held] = kind[held], grade[held]
    code[held] = kind[held] * len(GRADE_TITLES) + np.clip(grade[held], 1, 4).astype(int) - 1
    return disabled, card_kind, card_grade, texts(code, names)
