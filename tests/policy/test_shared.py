"""Values several programs share, worked out once for a register: the prepared register's
columns against hand-worked rows, and the helpers alike with and without them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from trainkit.policy.columns import applicant_of, counted_income
from trainkit.policy.frames import frames_of, numbered
from trainkit.policy.household import Disability, Household, Income, Member
from trainkit.policy.programs._person import cards
from trainkit.policy.shared import APPLICANT, BIRTH, CARD, INCOME, birth_fields, with_shared

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def _register() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two households: the applicant listed second, with a card and counted and uncounted
    incomes; and one with no applicant and no birth dates."""
    first = Household(
        id="a",
        members=(
            Member(relation="spouse", age=40, birth_date=dt.date(1985, 2, 28)),
            Member(
                relation="applicant",
                age=70,
                birth_date=dt.date(1955, 11, 3),
                disability=Disability(kind="intellectual", grade=3),
                incomes=(
                    Income(kind="wages", monthly=Decimal("1000.25")),
                    Income(kind="business", monthly=Decimal("200.50")),
                    Income(kind="preferential_pension", monthly=Decimal("300")),
                ),
            ),
        ),
    )
    second = Household(id="b", members=(Member(relation="child", age=9), Member(relation="spouse", age=35)))
    homes, people = zip(frames_of(first), frames_of(second), strict=True)
    return pd.concat(homes, ignore_index=True), pd.concat(people, ignore_index=True)


def test_the_prepared_register_carries_the_shared_values_as_worked_by_hand():
    households, residents = with_shared(*numbered(*_register())[:2])
    assert households[APPLICANT].tolist() == [2, 1]  # the applicant; with none, the first member
    assert residents[INCOME].tolist() == [0.0, 1200.75, 0.0, 0.0]  # wages + business; 优待抚恤金 is not counted
    assert residents[CARD[0]].tolist() == [False, True, False, False]
    assert residents[CARD[3]].astype(object).where(residents[CARD[3]].notna(), None).tolist() == [
        None,
        "智力残疾三级",
        None,
        None,
    ]
    assert residents[BIRTH[0]].tolist() == [1985, 1955, 1970, 1970]
    assert residents[BIRTH[1]].tolist() == [2, 11, 1, 1]
    assert residents[BIRTH[2]].tolist() == [28, 3, 1, 1]
    assert residents[BIRTH[3]].tolist() == [True, True, False, False]


def test_helpers_read_the_prepared_values_and_work_them_out_alike_without_them():
    households, residents = with_shared(*numbered(*_register())[:2])
    plain_homes = households.drop(columns=[APPLICANT])
    plain = residents.drop(columns=[INCOME, *CARD, *BIRTH])
    assert applicant_of(households, residents).tolist() == applicant_of(plain_homes, plain).tolist() == [2, 1]
    assert counted_income(residents).tolist() == counted_income(plain).tolist()
    for prepared, worked in zip(cards(residents), cards(plain), strict=True):
        assert pd.Series(prepared).equals(pd.Series(worked))  # NaN where no card, on both sides
    for prepared, worked in zip(birth_fields(residents), birth_fields(plain), strict=True):
        assert prepared.tolist() == worked.tolist()
