import factory

from agencies.models import Agency, User
from agencies.roles import ROLE_AGENCY_KIND, AgencyKind


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    kind = AgencyKind.COURT
    name = factory.Sequence(lambda n: f"测试机关{n}")
    abbreviation = factory.Sequence(lambda n: f"测{n}")
    region_code = "450102"
    region_name = "南宁市兴宁区"


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(role="police_clerk", agency=...) ; the agency defaults to a new one of the right kind."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = "enforcement_judge"
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.lazy_attribute
    def agency(self):
        kind = ROLE_AGENCY_KIND.get(self.role)
        return AgencyFactory(kind=kind) if kind else None

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
