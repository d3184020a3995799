"""The statutory periods of procedure.md §4, each a named constant with its article.

Which kind of deadline runs for which period is the table of `procedure.deadlines`; which transition opens, closes,
cancels or extends it, the transition's row in `procedure.transitions`; how a period is counted (CPL Art. 105),
`procedure.calendar`.
"""

from dataclasses import dataclass

from procedure.positions import EXECUTING_COURT, POLICE, PROCURATORATE, TRIAL_COURT


@dataclass(frozen=True)
class Period:
    """A period of `days` or `months`, owed by the agency in the case position `owed_by`."""

    days: int | None = None
    months: int | None = None
    basis: str = ""
    owed_by: str = ""

    @property
    def label(self) -> str:
        parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((self.months, "month"), (self.days, "day")) if n]
        return " and ".join(parts)


WRITTEN_RESPONSE = Period(days=30, basis="Opinions Art. 12 ¶1", owed_by=POLICE)
FILING_REVIEW = Period(days=7, basis="Opinions Art. 5 ¶2", owed_by=POLICE)
FILING_REVIEW_EXTENDED = Period(days=30, basis="Opinions Art. 5 ¶2 (extended)", owed_by=POLICE)
POLICE_EXPLANATION = Period(days=7, basis="Opinions Art. 8 ¶1", owed_by=POLICE)
FILING_AFTER_ORDER = Period(days=15, basis="Opinions Art. 8 ¶2", owed_by=POLICE)
#: CPL Art. 91 ¶3: a detained suspect, 7 days; one not detained, 15 days, 20 for a major or complex case
#: (Procuratorial Rules of Criminal Procedure, 2019, Art. 296).
ARREST_REVIEW = Period(days=7, basis="CPL Art. 91 ¶3; Opinions Art. 9", owed_by=PROCURATORATE)
ARREST_REVIEW_AT_LIBERTY = Period(days=15, basis="Procuratorial Rules Art. 296; Opinions Art. 9",
                                  owed_by=PROCURATORATE)
ARREST_REVIEW_AT_LIBERTY_COMPLEX = Period(days=20, basis="Procuratorial Rules Art. 296 (major or complex)",
                                          owed_by=PROCURATORATE)
#: CPL Art. 91 ¶1-2: after a detention the police request an arrest (or release) within 3 days; the person in
#: charge may extend it to 7 days, or to 30 for roving, repeated or gang crimes. Custody periods: no holiday shift.
DETENTION = Period(days=3, basis="CPL Art. 91 ¶1", owed_by=POLICE)
DETENTION_EXTENDED = Period(days=7, basis="CPL Art. 91 ¶1 (extended)", owed_by=POLICE)
DETENTION_EXTENDED_GANG = Period(days=30, basis="CPL Art. 91 ¶2 (extended)", owed_by=POLICE)
#: CPL Art. 156: custody in investigation after an arrest, 2 months.
INVESTIGATIVE_CUSTODY = Period(months=2, basis="CPL Art. 156", owed_by=POLICE)
PROSECUTION_REVIEW = Period(months=1, basis="CPL Art. 172", owed_by=PROCURATORATE)
#: CPL Art. 172: a major or complex case, once per review period, by half a month: 1 month and 15 days from the
#: same start, the holiday shift applying to the final day only.
PROSECUTION_REVIEW_EXTENDED = Period(months=1, days=15, basis="CPL Art. 172 (extended by 15 days)",
                                     owed_by=PROCURATORATE)
SUPPLEMENTARY_INVESTIGATION = Period(months=1, basis="CPL Art. 175", owed_by=POLICE)
#: The SPC's 2021 Interpretation of the CPL, Art. 320: the court decides within 15 days whether to accept a private
#: prosecution.
PRIVATE_FILING_REVIEW = Period(days=15, basis="SPC Interpretation of the CPL Art. 320", owed_by=EXECUTING_COURT)
PUBLIC_TRIAL = Period(months=2, basis="CPL Art. 208", owed_by=TRIAL_COURT)
#: CPL Art. 208 ¶1: the trial may be extended by one month (2 months become 3), counted from its own start.
TRIAL_EXTENDED = Period(months=3, basis="CPL Art. 208 ¶1 (extended)", owed_by=TRIAL_COURT)
PRIVATE_TRIAL_AT_LIBERTY = Period(months=6, basis="CPL Art. 212 ¶2", owed_by=TRIAL_COURT)
PRIVATE_TRIAL_IN_CUSTODY = Period(months=2, basis="CPL Art. 212 ¶2", owed_by=TRIAL_COURT)

#: CPL Art. 175: a case may be returned for supplementary investigation at most twice.
MAX_SUPPLEMENTARY_ROUNDS = 2

def arrest_review_period(*, detained: bool, complex_case: bool = False) -> Period:
    """CPL Art. 91 ¶3 and the procuratorial rules: the review runs by whether the suspect is held now."""
    if detained:
        return ARREST_REVIEW
    return ARREST_REVIEW_AT_LIBERTY_COMPLEX if complex_case else ARREST_REVIEW_AT_LIBERTY
