"""The register's shape, shared by a whole register and a household of one: one row per
household (its household fields), one row per resident (the member fields, one ``income_<kind>``
column per income kind, ``disability_kind`` and ``disability_grade``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .household import FamilyPlanning, Household, Member, vocabulary

__all__ = ["FP_COLUMNS", "HOUSEHOLD_COLUMNS", "MEMBER_COLUMNS", "frames_of", "numbered"]

MEMBER_COLUMNS = tuple(name for name in Member.model_fields if name not in ("incomes", "disability"))
HOUSEHOLD_COLUMNS = ("rural_standard", "property_check", "receives", "emergency", "emergency_hardship")
FP_COLUMNS = tuple(f"fp_{name}" for name in FamilyPlanning.model_fields)


def frames_of(household: Household) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One household record as a register of one (members numbered from 1, ids as given)."""
    fp = household.family_planning
    home: dict[str, object] = {
        "household_id": household.id or "household",
        **{name: getattr(household, name) for name in HOUSEHOLD_COLUMNS},
        **{f"fp_{name}": (getattr(fp, name) if fp else None) for name in FamilyPlanning.model_fields},
    }
    home["receives"] = ",".join(household.receives)
    kinds = [k.id for k in vocabulary().income_kinds]
    people = []
    for number, member in enumerate(household.members, start=1):
        row: dict[str, object] = {"household_id": home["household_id"], "member_no": number}
        row.update({name: getattr(member, name) for name in MEMBER_COLUMNS})
        row["receives"] = ",".join(member.receives)
        for kind in kinds:
            row[f"income_{kind}"] = float(sum(i.monthly for i in member.incomes if i.kind == kind))
        row["disability_kind"] = member.disability.kind if member.disability else None
        row["disability_grade"] = member.disability.grade if member.disability else None
        people.append(row)
    residents = pd.DataFrame(people)
    for name in ("flexible_insurance_paid_monthly",):
        residents[name] = residents[name].astype(float)
    return pd.DataFrame([home]), residents


def numbered(households: pd.DataFrame, residents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Index]:
    """The register with households numbered by row (what programs read), and the ids to map back.

    Residents of a household not in ``households`` are left out.
    """
    homes = pd.Index(households["household_id"])
    at = homes.get_indexer(residents["household_id"])
    residents = residents.loc[at >= 0].assign(household_id=at[at >= 0])
    return households.assign(household_id=np.arange(len(homes))), residents.reset_index(drop=True), homes
