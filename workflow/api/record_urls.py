"""Routes of the sub-procedure records, the Art. 13 checklist, joint meetings and the supervision ledger."""

from django.urls import path

from workflow.api import records as api

urlpatterns = [
    # Records on a case: GET the list, POST a new one.
    path("cases/<int:pk>/records/", api.CaseRecordsApi.as_view(), name="case-records"),
    path("cases/<int:pk>/private-checklist/", api.PrivateChecklistApi.as_view(), name="case-private-checklist"),
    path("cases/<int:pk>/arrest-requests/", api.CaseArrestRequestsApi.as_view(), name="case-arrest-requests"),
    path("cases/<int:pk>/coercive-measures/", api.CaseCoerciveMeasuresApi.as_view(), name="case-coercive-measures"),
    path("cases/<int:pk>/property-controls/", api.CasePropertyControlsApi.as_view(), name="case-property-controls"),
    path("cases/<int:pk>/warnings/", api.CaseWarningsApi.as_view(), name="case-warnings"),
    path("cases/<int:pk>/performances/", api.CasePerformancesApi.as_view(), name="case-performances"),
    path("cases/<int:pk>/evidence-copy-requests/", api.CaseEvidenceCopyRequestsApi.as_view(),
         name="case-evidence-copy-requests"),
    path("cases/<int:pk>/locate-requests/", api.CaseLocateRequestsApi.as_view(), name="case-locate-requests"),
    path("cases/<int:pk>/obstruction-referrals/", api.CaseObstructionReferralsApi.as_view(),
         name="case-obstruction-referrals"),
    # Inboxes of records addressed to an agency, and their answers.
    path("arrest-requests/", api.ArrestRequestInboxApi.as_view(), name="arrest-request-list"),
    path("arrest-requests/<int:pk>/decision/", api.ArrestDecisionApi.as_view(), name="arrest-request-decision"),
    path("coercive-measures/<int:pk>/end/", api.CoerciveMeasureEndApi.as_view(), name="coercive-measure-end"),
    path("property-controls/<int:pk>/release/", api.PropertyReleaseApi.as_view(), name="property-control-release"),
    path("property-controls/<int:pk>/hand-over/", api.PropertyHandOverApi.as_view(),
         name="property-control-hand-over"),
    path("evidence-copy-requests/", api.EvidenceCopyRequestInboxApi.as_view(), name="evidence-copy-request-list"),
    path("evidence-copy-requests/<int:pk>/answer/", api.EvidenceCopyAnswerApi.as_view(),
         name="evidence-copy-request-answer"),
    path("locate-requests/", api.LocateRequestInboxApi.as_view(), name="locate-request-list"),
    path("locate-requests/<int:pk>/answer/", api.LocateAnswerApi.as_view(), name="locate-request-answer"),
    path("obstruction-referrals/", api.ObstructionReferralInboxApi.as_view(), name="obstruction-referral-list"),
    path("obstruction-referrals/<int:pk>/acknowledge/", api.ReferralAcknowledgeApi.as_view(),
         name="obstruction-referral-acknowledge"),
    path("evidence/<int:pk>/file/", api.EvidenceFileApi.as_view(), name="evidence-file"),
    # Art. 19
    path("joint-meetings/", api.JointMeetingListApi.as_view(), name="joint-meeting-list"),
    path("joint-meetings/<int:pk>/", api.JointMeetingDetailApi.as_view(), name="joint-meeting-detail"),
    path("supervision-ledger/", api.SupervisionLedgerApi.as_view(), name="supervision-ledger"),
    path("supervision-ledger/csv/", api.SupervisionLedgerCsvApi.as_view(), name="supervision-ledger-csv"),
    path("supervision-ledger/xlsx/", api.SupervisionLedgerXlsxApi.as_view(), name="supervision-ledger-xlsx"),
]
