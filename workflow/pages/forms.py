"""Django forms behind the browser pages.

They parse and check what a person typed; the services (workflow.cases.services, workflow.cases.transitions.fire,
workflow.records.services) decide again with the same rules as the API, and their ValidationError is put back next
to the field. The transition forms are built from workflow.cases.inputs and the record forms from
workflow.records.inputs, so a field asked for in the browser is exactly a field the API asks for.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency
from agencies.roles import AgencyKind, Role
from agencies.selectors import region_agency
from procedure.disclosure import case_field_readers, note_readers
from procedure.states import (
    PRIVATE_CATEGORIES,
    PRIVATE_REQUIRED_CATEGORIES,
    TRANSFER_CATEGORIES,
    CaseState,
    EvidenceCategory,
    Origin,
    PartyKind,
)
from procedure.transitions import TRANSITIONS
from workflow.cases.inputs import input_serializer
from workflow.cases.uploads import ALLOWED_MIME
from workflow.pages.labels import (
    FIELD_LABELS,
    HELP_TEXTS,
    RECORD_FIELD_LABELS,
    RECORD_FIELD_LABELS_BY_RECORD,
    RECORD_HELP,
    readers_help,
)

PRIVATE_ONLY_CATEGORIES = frozenset(PRIVATE_REQUIRED_CATEGORIES) - frozenset(TRANSFER_CATEGORIES)


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency picker whose options say their region, so that an Art. 2 choice is visible."""

    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name}（{obj.region_name}）"


class AgencySelect(forms.Select):
    """Each option carries data-region, read by static/js/app.js to ask for the Art. 2 reason."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-region"] = instance.region_code
        return option


def _agency_field(kind: str, label, *, required: bool = True) -> AgencyChoiceField:
    return AgencyChoiceField(
        queryset=Agency.objects.filter(kind=kind).order_by("region_code", "name"),
        label=label, required=required, widget=AgencySelect, empty_label="—",
    )


class InboxFilterForm(forms.Form):
    """The inbox's search (case number, debtor, enforcement case number), state filter and tab."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states")), *CaseState.choices], required=False)
    view = forms.ChoiceField(choices=[("waiting", "waiting"), ("all", "all")], required=False)

    def clean_q(self):
        return self.cleaned_data["q"].strip()


class ServiceErrorsMixin:
    """Errors of the service a form feeds, keyed by the service's argument names, land next to the matching field
    (SERVICE_FIELDS maps an argument to its field where the names differ); the rest above the form."""

    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_errors(self, error_dict: dict) -> None:
        for key, messages in error_dict.items():
            field = self.SERVICE_FIELDS.get(key, key)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ServiceDataMixin(ServiceErrorsMixin):
    """A form whose cleaned data is the body of a service: empty fields left out, agencies by their id."""

    def data_for_service(self) -> dict:
        data = {}
        for key, value in self.cleaned_data.items():
            if value is None or value == "" or value == []:
                continue
            data[key] = value.pk if isinstance(value, Agency) else value
        return data


# ---------------------------------------------------------------------------------------------------------
# Transition forms


class TransitionForm(ServiceDataMixin, forms.Form):
    """Base of the per-transition forms; `data_for_service()` is the body fire() receives."""

    name = ""

    def __init__(self, *args, case=None, user=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        if "note" in self.fields:
            # Who reads the note, exactly (procedure.disclosure): the case's agencies, the creditor, the letters.
            role = getattr(user, "role", "")
            self.fields["note"].help_text = readers_help(note_readers(self.name, author_role=role),
                                                         creditor_reads_it=role == Role.CREDITOR)
        if "trial_court" in self.fields and case is not None:
            court = region_agency(region_code=case.executing_court.region_code, kind=AgencyKind.COURT)
            self.fields["trial_court"].initial = court.pk if court else None
            if case.trial_court_id:
                self.fields["trial_court"].initial = case.trial_court_id


def form_field(name: str, field: serializers.Field, *, label, help_text="") -> forms.Field:
    """The Django form field asking for what one API input field asks for."""
    common = {"label": label, "required": field.required, "help_text": help_text}
    if isinstance(field, serializers.BooleanField):
        return forms.NullBooleanField(widget=forms.NullBooleanSelect, **{**common, "required": False})
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return _agency_field(AgencyKind.COURT, label, required=field.required)
    if isinstance(field, serializers.ListField):
        choices = [(c, EvidenceCategory(c).label) for c in field.child.choices]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if isinstance(field, serializers.ChoiceField):
        return forms.ChoiceField(choices=[("", "—"), *field.choices.items()], **common)
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if isinstance(field, serializers.DecimalField):
        return forms.DecimalField(min_value=field.min_value, max_digits=field.max_digits,
                                  decimal_places=field.decimal_places, **common)
    if isinstance(field, serializers.IntegerField):
        # An id of another row: the record form fills in the choices it may name (RecordForm.__init__).
        return forms.TypedChoiceField(coerce=int, choices=[], empty_value=None, **common)
    if isinstance(field, serializers.CharField):
        if field.max_length is not None and field.max_length <= 300:
            return forms.CharField(max_length=field.max_length, **common)
        rows = 6 if name in ("explanation", "terms", "sentence", "grounds", "conduct", "content") else 3
        return forms.CharField(max_length=field.max_length, widget=forms.Textarea(attrs={"rows": rows}), **common)
    raise TypeError(f"no form field for {name}: {type(field).__name__}")


def _transition_field(transition: str, name: str, field: serializers.Field) -> forms.Field:
    label = FIELD_LABELS.get(name, name)
    row = TRANSITIONS[transition]
    if name == "reason" and row.reason_label:
        label = row.reason_label
    return form_field(name, field, label=label, help_text=HELP_TEXTS.get(name, ""))


_FORM_CLASSES: dict[str, type[TransitionForm]] = {}


def transition_form_class(name: str) -> type[TransitionForm]:
    """The form of one transition: exactly the fields its input serializer asks for, note last."""
    if name not in _FORM_CLASSES:
        fields = input_serializer(name)().fields
        attrs = {key: _transition_field(name, key, field) for key, field in fields.items() if key != "note"}
        attrs["note"] = _transition_field(name, "note", fields["note"])
        attrs["name"] = name
        _FORM_CLASSES[name] = type(f"{name.title().replace('_', '')}Form", (TransitionForm,), attrs)
    return _FORM_CLASSES[name]


# ---------------------------------------------------------------------------------------------------------
# The transfer form (case_create)


PARTY_KIND_HELP = _("Left unchosen: an entity when the name ends as an organisation's does (…有限公司), "
                    "otherwise a natural person.")


class CaseCreateForm(ServiceErrorsMixin, forms.Form):
    """A new case in draft: the transfer of an enforcement judge or a procurator, or a creditor's own
    private prosecution. The fields depend on who fills it in (api.md "Create a case")."""

    enforcement_case_number = forms.CharField(
        label=_("Enforcement case number"), max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "（2025）桂0102执1234号"}),
    )
    basis_document = forms.CharField(
        label=_("Effective legal document founding the enforcement"), max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "（2024）桂0102民初567号民事判决书"}),
    )
    amount_owed = forms.DecimalField(
        label=_("Amount still owed (yuan)"), min_value=Decimal("0"), max_digits=16, decimal_places=2,
    )

    applicant_name = forms.CharField(label=_("Name"), max_length=200)
    applicant_kind = forms.ChoiceField(label=_("Natural person or entity"), choices=PartyKind.choices,
                                       required=False, widget=forms.RadioSelect, help_text=PARTY_KIND_HELP)
    applicant_id_number = forms.CharField(label=_("ID number or unified social credit code"), max_length=40,
                                          required=False)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    applicant_user = forms.CharField(
        label=_("The creditor's account (username)"), max_length=150, required=False,
        help_text=_("Optional: with it the creditor follows the case online."),
    )

    debtor_name = forms.CharField(label=_("Name"), max_length=200)
    debtor_kind = forms.ChoiceField(label=_("Natural person or entity"), choices=PartyKind.choices,
                                    required=False, widget=forms.RadioSelect, help_text=PARTY_KIND_HELP)
    debtor_id_number = forms.CharField(label=_("ID number or unified social credit code"), max_length=40,
                                       required=False)
    debtor_address = forms.CharField(label=_("Address"), max_length=300, required=False)

    executing_court = _agency_field(AgencyKind.COURT, _("Executing court"))
    police_agency = _agency_field(AgencyKind.POLICE, _("Police agency"))
    procuratorate = _agency_field(AgencyKind.PROCURATORATE, _("Procuratorate"))
    jurisdiction_reason = forms.CharField(
        label=_("Why an agency of another region (Art. 2)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the police or procuratorate is not of the executing court's region, "
                    "e.g. the debtor has long lived elsewhere."),
    )
    summary = forms.CharField(label=_("Facts in brief"), max_length=20000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    internal_note = forms.CharField(label=_("Internal note"), max_length=20000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    duplicate_reason = forms.CharField(
        label=_("Why file another case for this enforcement case number"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when a case of this court for the same enforcement case number is still open, e.g. "
                    "another debtor of the same enforcement case. Kept in the new case's record."),
    )

    duplicate = None  # the open case this one repeats, once the service said so (workflow.pages.common.attempt)

    @property
    def asks_duplicate_reason(self) -> bool:
        """Show the reason field: the number repeats an open case, or a reason was already typed."""
        return self.duplicate is not None or bool(self.data.get("duplicate_reason"))

    APPLICANT = ("applicant_name", "applicant_kind", "applicant_id_number", "applicant_phone", "applicant_address",
                 "applicant_user")
    DEBTOR = ("debtor_name", "debtor_kind", "debtor_id_number", "debtor_address")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        court = None
        if user.role == Role.ENFORCEMENT_JUDGE:
            # The judge transfers for their own court (api.md): shown, not chosen.
            del self.fields["executing_court"]
            court = user.agency
        elif user.role == Role.PROCURATOR:
            del self.fields["procuratorate"]
            court = region_agency(region_code=user.agency.region_code, kind=AgencyKind.COURT)
            self.fields["executing_court"].initial = court.pk if court else None
        if user.role == Role.CREDITOR:
            # Art. 11: a private prosecution goes straight to the court; no police or procuratorate.
            for key in ("police_agency", "procuratorate", "jurisdiction_reason", "internal_note", "applicant_user"):
                del self.fields[key]
            self.fields["applicant_name"].initial = user.display_name
        elif court is not None:
            self.court_region = court.region_code
            for key, kind in (("police_agency", AgencyKind.POLICE), ("procuratorate", AgencyKind.PROCURATORATE)):
                if key in self.fields:
                    agency = region_agency(region_code=court.region_code, kind=kind)
                    self.fields[key].initial = agency.pk if agency else None
        self.court = court
        # Who sees what is typed here (procedure.disclosure), said to whoever types it.
        origin = Origin.CREDITOR if user.role == Role.CREDITOR else ""
        for key in ("summary", "internal_note", "debtor_id_number"):
            if key in self.fields:
                self.fields[key].help_text = readers_help(case_field_readers(key, origin),
                                                          creditor_reads_it=user.role == Role.CREDITOR)

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.case_create."""
        data = self.cleaned_data
        applicant = {key.removeprefix("applicant_"): data.get(key) or "" for key in self.APPLICANT}
        debtor = {key.removeprefix("debtor_"): data.get(key) or "" for key in self.DEBTOR}
        kwargs = {
            "applicant": applicant,
            "debtor": debtor,
            "enforcement_case_number": data["enforcement_case_number"],
            "basis_document": data["basis_document"],
            "amount_owed": data["amount_owed"],
            "summary": data.get("summary", ""),
            "jurisdiction_reason": data.get("jurisdiction_reason", ""),
            "internal_note": data.get("internal_note", ""),
            "duplicate_reason": data.get("duplicate_reason", ""),
        }
        for key in ("executing_court", "police_agency", "procuratorate"):
            if key in self.fields:
                kwargs[key] = data.get(key)
        return kwargs

    SERVICE_FIELDS = {"applicant": "applicant_user", "debtor": "debtor_name",
                      "applicant.id_number": "applicant_id_number", "debtor.id_number": "debtor_id_number"}


# ---------------------------------------------------------------------------------------------------------
# Evidence upload (evidence_add)


# What the file picker offers; the server still decides by the content (workflow.cases.uploads).
UPLOAD_ACCEPT = ",".join(sorted({f".{ext}" for ext in ALLOWED_MIME.values()} | {".jpeg", ".tiff"}))


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    """One evidence material; the title defaults to the file's name."""

    category = forms.ChoiceField(label=_("Category"), choices=EvidenceCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
                           help_text=_("PDF, image or office document."))

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.role == Role.CREDITOR:
            self.fields["category"].choices = [(c, EvidenceCategory(c).label) for c in PRIVATE_CATEGORIES]
        elif case is not None and case.origin != Origin.CREDITOR:
            # The Art. 13 categories belong to a private prosecution; an organ's transfer uses the others.
            self.fields["category"].choices = [
                (c.value, c.label) for c in EvidenceCategory if c not in PRIVATE_ONLY_CATEGORIES
            ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the limit of %(mb)s MB.")
                                        % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)})
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if not (data.get("title") or "").strip() and upload is not None:
            data["title"] = (upload.name or "")[:200]
        return data


# ---------------------------------------------------------------------------------------------------------
# Evidence copies (Art. 15): the creditor asks, the executing court answers


class CopyRequestForm(ServiceErrorsMixin, forms.Form):
    description = forms.CharField(
        label=_("Which materials you need copies of"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Art. 15: the executing court gives you copies of the evidence it fixed during enforcement."),
    )


class CopyAnswerForm(ServiceErrorsMixin, forms.Form):
    """The executing court shares materials of the case with the creditor (or says why there are none)."""

    evidence = forms.MultipleChoiceField(label=_("Materials to share"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note to the creditor"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Needed when no material is shared: say why."))

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [
            (str(m.pk), f"{m.title}（{m.get_category_display()}）") for m in materials]


# ---------------------------------------------------------------------------------------------------------
# Sub-procedure records (workflow.records.services, with the input serializers of workflow.records.inputs)


class RecordForm(ServiceDataMixin, forms.Form):
    """A sub-procedure record or an answer to one; ids of other rows are offered as choices."""

    key = ""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if "police_agency" in self.fields:
            self.fields["police_agency"] = _agency_field(AgencyKind.POLICE, RECORD_FIELD_LABELS["police_agency"],
                                                         required=False)
            if case is not None and case.police_agency_id:
                self.fields["police_agency"].initial = case.police_agency_id
        if "receiver" in self.fields:
            field = _agency_field(AgencyKind.DISCIPLINE, RECORD_FIELD_LABELS["receiver"])
            field.queryset = Agency.objects.filter(kind__in=[AgencyKind.DISCIPLINE, AgencyKind.PROCURATORATE]).order_by(
                "region_code", "kind", "name")
            if case is not None:
                field.initial = region_agency(region_code=case.executing_court.region_code,
                                              kind=AgencyKind.DISCIPLINE)
            self.fields["receiver"] = field
        if "arrest_request" in self.fields and case is not None:
            approved = case.arrest_requests.filter(decision="approve").order_by("requested_at")
            self.fields["arrest_request"].choices = [("", "—")] + [
                (r.pk, f"{r.suspect_name} · {r.decided_at:%Y-%m-%d}") for r in approved]
        if "warning" in self.fields and case is not None:
            self.fields["warning"].choices = [("", "—")] + [
                (w.pk, f"{w.warned_on:%Y-%m-%d} · {w.content[:40]}") for w in case.warnings.order_by("warned_on")]


_RECORD_FORMS: dict[str, type[RecordForm]] = {}


def record_form_class(key: str, serializer_class) -> type[RecordForm]:
    """The form of one record or answer: exactly the fields of its input serializer (the API's body)."""
    if key not in _RECORD_FORMS:
        attrs = {"key": key}
        for name, field in serializer_class().fields.items():
            label = RECORD_FIELD_LABELS_BY_RECORD.get((key, name)) or RECORD_FIELD_LABELS.get(name, name)
            attrs[name] = form_field(name, field, label=label, help_text=RECORD_HELP.get(name, ""))
        _RECORD_FORMS[key] = type(f"{key.title().replace('_', '')}Form", (RecordForm,), attrs)
    return _RECORD_FORMS[key]


class ApprovalRejectForm(ServiceErrorsMixin, forms.Form):
    """Refusing a proposal (procedure.md §3 "Approvals"): the reason is told to the proposer."""

    reason = forms.CharField(label=_("Why the proposal is refused"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))
