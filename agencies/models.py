from django.contrib.auth import hashers
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.roles import ROLE_AGENCY_KIND, AgencyKind, Role

region_code_validator = RegexValidator(r"^\d{6}$", _("A region code is a 6-digit administrative division code."))


class Agency(models.Model):
    """A court, police agency, procuratorate or discipline commission of one region (Art. 1, 2)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=10, blank=True, help_text=_("Used in document numbers, e.g. 兴法.")
    )
    region_code = models.CharField(_("region code"), max_length=6, validators=[region_code_validator])
    region_name = models.CharField(_("region name"), max_length=50)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region_code", "kind", "name"]
        indexes = [models.Index(fields=["region_code", "kind"])]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using the system: an officer of exactly one agency, or an external creditor."""

    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, blank=True, help_text=_("Empty only for administrators.")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        help_text=_("Empty: follow the browser."),
    )
    is_liaison = models.BooleanField(
        _("joint-meeting liaison"), default=False, help_text=_("Art. 19: the agency's liaison for joint meetings.")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["creditor", ""], agency__isnull=True)
                    | (~models.Q(role__in=["creditor", ""]) & models.Q(agency__isnull=False))
                ),
                name="user_agency_matches_role",
                violation_error_message=_("A creditor or administrator has no agency; every other role belongs to one agency."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def clean(self):
        super().clean()
        expected = ROLE_AGENCY_KIND.get(self.role)
        if self.role in (Role.CREDITOR, ""):
            if self.agency_id:
                raise ValidationError({"agency": _("A creditor or administrator does not belong to an agency.")})
        elif self.role:
            if not self.agency_id:
                raise ValidationError({"agency": _("This role belongs to an agency.")})
            if self.agency.kind != expected:
                raise ValidationError(
                    {"agency": _("The role %(role)s belongs to an agency of kind %(kind)s.")
                     % {"role": self.get_role_display(), "kind": AgencyKind(expected).label}}
                )

    @property
    def is_creditor(self) -> bool:
        return self.role == Role.CREDITOR

    # A new password (set anywhere: the password pages, the admin, a command) or a deactivated account ends every
    # API token of the user. Sessions end by themselves: Django checks each session against the password's hash,
    # and refuses an inactive account.
    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._credentials_changed = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._credentials_changed = True

    def check_password(self, raw_password):
        """Django's check; the stronger hash of the same password it may save on login is no new password."""

        def rehash(raw):
            AbstractUser.set_password(self, raw)
            self._password = None
            self.save(update_fields=["password"])

        return hashers.check_password(raw_password, self.password, rehash)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if getattr(self, "_credentials_changed", False):
            self._credentials_changed = False
            revoke_tokens(self, TokenEnd.PASSWORD_CHANGED)
        elif not self.is_active:
            revoke_tokens(self, TokenEnd.DEACTIVATED)


class TokenEnd(models.TextChoices):
    """Why an API token stopped working before its time."""

    LOGOUT = "logout", _("logged out")
    PASSWORD_CHANGED = "password_changed", _("the password was changed")
    DEACTIVATED = "deactivated", _("the account was deactivated")
    DEVICE_REMOVED = "device_removed", _("the device was removed")


class ApiToken(models.Model):
    """One device's API token. Only the SHA-256 digest of its secret is stored; the secret is shown once, at login.

    A token ends after API_TOKEN_IDLE_MINUTES without use, API_TOKEN_MAX_HOURS after it was issued, or when it is
    revoked (logout, a password change, deactivation of the account, removal of the device)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    device = models.CharField(_("device"), max_length=200, blank=True)
    created = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("last used"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_because = models.CharField(_("revoked because"), max_length=20, blank=True, choices=TokenEnd.choices,
                                       editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.device or '-'}"


def revoke_tokens(user: User, because: str) -> int:
    """Ends every live API token of the user; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because)


class WritePosition(models.Model):
    """Where the primary database's write-ahead log stood after a user's last change (refusal_cases.replica): the
    user's reads go to a streaming replica only once it has replayed that far, so nobody reads around their own
    change. One row per user, overwritten; only with a replica configured."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="+")
    lsn = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}@{self.lsn}"
