"""Shapes of the KPI API (`GET /api/v1/kpis`). A count is a number, "fewer than 5" for a
commissioner when it is 1 to 4, or null when its source cannot count it; a rate or mean is
a number, "not shown" when it would give a suppressed count away, or null."""

from ninja import Field, Schema
from pydantic import conint

from beacon.core.schemas import IsoDate

Id = conint(strict=False, ge=1, le=2**31 - 1)
Count = int | str | None
Rate = float | str | None


class ReportingKpisQuery(Schema):
    start: IsoDate | None = Field(
        None,
        description="First day; by default the first of the month 11 months before the end",
    )
    end: IsoDate | None = Field(
        None, description="Last day of the period (included); today by default"
    )
    site: Id | None = Field(None, description="Only the clients of this site's teams")
    team: Id | None = Field(None, description="Only this team's clients")


class ReportingNewPresentationsOut(Schema):
    total: Count
    structured: Count
    non_structured: Count


class ReportingCompletionsOut(Schema):
    count: Count
    share_of_in_treatment: Rate


class ReportingRepresentationOut(Schema):
    completions: Count
    represented: Count
    rate: Rate


class ReportingRepresentationsOut(Schema):
    opiate: ReportingRepresentationOut
    non_opiate_only: ReportingRepresentationOut
    non_opiate_and_alcohol: ReportingRepresentationOut
    alcohol_only: ReportingRepresentationOut


class ReportingDaysToPrescriptionOut(Schema):
    n: Count
    mean: Rate
    median: Rate


class ReportingNaloxoneOut(Schema):
    kits_supplied: Count
    to_clients: Count
    to_others: Count
    kits_reported_used: Count
    coverage: Rate


class ReportingNspOut(Schema):
    transactions: Count
    people: Count
    items_out: Count
    sharps_return_rate: Rate


class ReportingSatisfactionOut(Schema):
    responses: Count
    share_10: Rate
    share_8_plus: Rate


class ReportingAttendanceOut(Schema):
    booked: Count
    attended: Count
    rate: Rate
    dna: Count


class ReportingOstOut(Schema):
    clients_on_ost: Count
    supervised_share: Rate
    missed_doses_pharmacy: Count
    missed_doses_home_delivery: Count
    home_deliveries_made: Count
    home_deliveries_missed: Count


class ReportingOutreachOut(Schema):
    volunteer_contacts: Count
    naloxone_by_volunteers: Count
    referrals_made: Count
    referrals_with_outcome: Count


class ReportingKpiFiguresOut(Schema):
    new_presentations: ReportingNewPresentationsOut
    in_treatment: Count
    successful_completions: ReportingCompletionsOut
    representations_6m: ReportingRepresentationsOut
    days_to_first_prescription: ReportingDaysToPrescriptionOut
    naloxone: ReportingNaloxoneOut
    nsp: ReportingNspOut | None = Field(description="null under a team filter")
    satisfaction: ReportingSatisfactionOut | None = Field(description="null under a team filter")
    attendance: ReportingAttendanceOut
    ost: ReportingOstOut
    outreach: ReportingOutreachOut | None = Field(
        description="null until the volunteers app records outreach"
    )


class ReportingKpisOut(Schema):
    start: IsoDate
    end: IsoDate
    site: int | None
    team: int | None
    kpis: ReportingKpiFiguresOut
