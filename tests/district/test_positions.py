"""Each resident's household row: the same whether the register is listed household by
household (read by runs) or in any other order (looked up by id). Rows worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from trainkit.district.register import positions

HOMES = pd.Index(pd.array(["H1", "H2", "H3", "H4"], dtype="str"))


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["H1", "H1", "H2", "H3", "H3", "H3", "H4"], [0, 0, 1, 2, 2, 2, 3]),  # in order
        (["H1", "H2", "H2", "H4"], [0, 1, 1, 3]),  # H3 has nobody
        (["H1", "H2", "H1"], [0, 1, 0]),  # H1 listed twice, apart
        (["H2", "H1", "H3"], [1, 0, 2]),  # another order
        (["H1", "H9", "H2"], [0, -1, 1]),  # an id the households table lacks
        (["H1", "H1"], [0, 0]),
    ],
)
def test_each_resident_gets_their_household_row(ids, expected):
    assert positions(HOMES, pd.Series(pd.array(ids, dtype="str"))).tolist() == expected
