"""The whole-register screen reads a register prepared for speed (few-valued text as categories,
dates parsed once); it decides and words every row as the plain register read by
``screen_program`` does (which the agreement tests hold to each household decided alone)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from trainkit.district.screen import screen_program, screen_register
from trainkit.district.synth import synthesize
from trainkit.policy import PROGRAMS

ON = dt.date(2025, 12, 1)


@pytest.fixture(scope="module")
def register():
    tables = synthesize(2_000, seed=21, on=dt.date(2025, 11, 1))
    households, residents = tables["households"].copy(), tables["residents"].copy()
    rng = np.random.default_rng(2)
    # text the way a CSV gives it back, and blanks, on a few rows
    flags = rng.choice(len(residents), 300, replace=False)
    residents["lives_together"] = residents["lives_together"].astype(object)
    residents.loc[residents.index[flags[:100]], "lives_together"] = "True"
    residents.loc[residents.index[flags[100:200]], "lives_together"] = None
    residents.loc[residents.index[flags[200:]], "employment"] = None
    households["rural_standard"] = households["rural_standard"].astype(object)
    households.loc[households.index[rng.choice(len(households), 100, replace=False)], "rural_standard"] = None
    return households, residents, screen_register(households, residents, ON)


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame["household_id"].astype(str) + "#" + frame["member_no"].astype(str)


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_the_prepared_register_decides_and_words_as_the_plain_one(register, program):
    households, residents, result = register
    plain = screen_program(program, households, residents, ON)
    plain = plain.set_index(_key(plain))
    decided = result.decisions[result.decisions["program"] == program]
    fast = decided.set_index(_key(decided))
    assert len(fast) == len(plain) > 1_000
    plain = plain.loc[fast.index]
    assert [None if pd.isna(v) else v for v in fast["eligible"]] == [
        None if pd.isna(v) else v for v in plain["eligible"]
    ]
    np.testing.assert_array_equal(fast["amount"].to_numpy(dtype=float), plain["amount"].to_numpy(dtype=float))
    listed = result.outreach[result.outreach["program"] == program]
    words = listed.set_index(_key(listed))["reason"].astype(str)
    assert len(words) and (words == plain.loc[words.index, "reason"].astype(str)).all()


@pytest.mark.parametrize("kind", ["object", "category", "str"])
def test_yes_no_and_listed_values_read_alike_from_text_categories_and_objects(kind):
    from trainkit.policy.columns import position_in, receiving, truthy, yes_no

    flags = pd.Series(["True", "False", None, "true", "1", "no"], dtype=object)
    flags = flags if kind == "object" else flags.astype(kind)
    assert truthy(flags).tolist() == [True, False, False, True, True, False]
    yes, no = yes_no(flags)
    assert yes.tolist() == [True, False, False, True, False, False]
    assert no.tolist() == [False, True, False, False, False, False]
    work = pd.Series(["retired", None, "employed", "other", "retired"], dtype=object)
    work = work if kind == "object" else work.astype(kind)
    assert position_in(work, ["employed", "retired"]).tolist() == [1, -1, 0, -1, 1]
    lists = pd.Series(["dibao,tekun", None, "", "tekunx", "tekun"], dtype=object)
    lists = lists if kind == "object" else lists.astype(kind)
    assert receiving(pd.DataFrame({"receives": lists}), "tekun").tolist() == [True, False, False, False, True]


def test_booleans_and_python_flags_read_as_yes_no():
    from trainkit.policy.columns import truthy, yes_no

    assert truthy(pd.Series([True, False, True])).tolist() == [True, False, True]
    assert yes_no(pd.Series([True, False]))[1].tolist() == [False, True]
    assert truthy(pd.Series([True, None, 1, False], dtype=object)).tolist() == [True, False, True, False]
