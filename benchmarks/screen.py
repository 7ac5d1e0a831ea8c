"""Screening a central district: about 300,000 residents, every program, the whole register at
once vs one household at a time — the same rule (each program is written once, over columns).

Prints ``bench: screen_seconds_300k_residents X`` (target ≤ 0.5, issue 17; 0.9 s before it)
and ``bench: screen_speedup_vs_rowwise X``: the rule on one household at a time is timed on a
random sample of households and scaled to the whole register. Each side is timed three times
and the best run counts (the figures of a shared machine wander by a factor of two from one
minute to the next); the first screening, which also loads the parameters, is printed too.
The screening is what ``trainkit screen`` does: the outreach list, worded. The table of every
decision (2.5 million rows) is stacked only when read; the time that takes is printed apart.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from trainkit.district.register import households_from_register
from trainkit.district.screen import screen_register
from trainkit.district.synth import synthesize
from trainkit.policy import PROGRAMS

ON = dt.date(2025, 12, 1)
HOUSEHOLDS = 128_000
SAMPLE = 100  # one-household runs cost milliseconds each: a small sample, scaled up
REPEAT = 3


def main() -> None:
    tables = synthesize(HOUSEHOLDS, seed=300, on=ON)
    households, residents = tables["households"], tables["residents"]
    screen_register(
        households.head(50), residents[residents["household_id"].isin(households["household_id"].head(50))], ON
    )
    runs = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = screen_register(households, residents, ON)
        runs.append(time.perf_counter() - started)
    columnar = min(runs)
    started = time.perf_counter()
    stacked = len(result.decisions)
    stacking = time.perf_counter() - started

    # the same decisions, the rule run on one household each, on a random sample, scaled up
    ids = random.Random(7).sample(list(households["household_id"]), SAMPLE)
    records = {h.id: h for h in households_from_register(households, residents, ids)}
    rows = result.decisions[result.decisions["household_id"].isin(ids)]
    calls = list(zip(rows["program"], rows["household_id"], rows["member_no"], strict=True))
    passes = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        for program, household_id, member_no in calls:
            try:
                PROGRAMS[program].evaluate(records[household_id].as_applicant(int(member_no)), ON)
            except ValueError:
                pass
        passes.append(time.perf_counter() - started)
    rowwise = min(passes) / SAMPLE * len(households)
    scale = 300_000 / len(residents)
    print(
        f"(register: {len(households)} households, {len(residents)} residents; "
        f"programs: {', '.join(sorted(set(result.decisions['program'])))})"
    )
    print(
        f"(first screening {runs[0] * scale:.2f} s, best of {REPEAT} {columnar * scale:.2f} s; "
        f"row by row {rowwise * scale:.0f} s, scaled from {len(calls)} rule calls; "
        f"the {stacked:,} decisions stacked when read in {stacking * scale:.2f} s more)"
    )
    print(f"bench: screen_seconds_300k_residents {columnar * scale:.2f}")
    print(f"bench: screen_speedup_vs_rowwise {rowwise / columnar:.1f}")


if __name__ == "__main__":
    main()
