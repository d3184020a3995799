"""Demo regions, agencies and users of api.md "Demo data"."""

from django.db import transaction

from agencies.models import Agency, User
from agencies.roles import ROLE_AGENCY_KIND, AgencyKind, Role

DEMO_PASSWORD = "demo"  # noqa: S105 - fixed by api.md for the demo accounts

REGIONS = [
    {
        "code": "450102",
        "name": "南宁市兴宁区",
        "suffix": "",
        "agencies": {
            AgencyKind.COURT: ("南宁市兴宁区人民法院", "兴法"),
            AgencyKind.POLICE: ("南宁市公安局兴宁分局", "兴公"),
            AgencyKind.PROCURATORATE: ("南宁市兴宁区人民检察院", "兴检"),
            AgencyKind.DISCIPLINE: ("南宁市兴宁区纪律检查委员会监察委员会", "兴纪"),
        },
        "people": {
            Role.ENFORCEMENT_JUDGE: "韦建华",
            Role.FILING_CLERK: "陆晓燕",
            Role.TRIAL_JUDGE: "黄志刚",
            Role.POLICE_CLERK: "蒙丽娟",
            Role.POLICE_INVESTIGATOR: "覃海涛",
            Role.POLICE_HEAD: "梁国强",
            Role.PROCURATOR: "李文静",
            Role.PROCURATOR_GENERAL: "农振宇",
            Role.DISCIPLINE_OFFICER: "莫春梅",
            Role.CREDITOR: "广西南宁宏达建材有限公司",
        },
    },
    {
        "code": "450103",
        "name": "南宁市青秀区",
        "suffix": "_2",
        "agencies": {
            AgencyKind.COURT: ("南宁市青秀区人民法院", "青法"),
            AgencyKind.POLICE: ("南宁市公安局青秀分局", "青公"),
            AgencyKind.PROCURATORATE: ("南宁市青秀区人民检察院", "青检"),
            AgencyKind.DISCIPLINE: ("南宁市青秀区纪律检查委员会监察委员会", "青纪"),
        },
        "people": {
            Role.ENFORCEMENT_JUDGE: "周明",
            Role.FILING_CLERK: "潘婷",
            Role.TRIAL_JUDGE: "卢振东",
            Role.POLICE_CLERK: "赵敏",
            Role.POLICE_INVESTIGATOR: "邓志勇",
            Role.POLICE_HEAD: "吴建国",
            Role.PROCURATOR: "冯雪",
            Role.PROCURATOR_GENERAL: "谢文斌",
            Role.DISCIPLINE_OFFICER: "甘露",
            Role.CREDITOR: "王秀英",
        },
    },
]


@transaction.atomic
def seed_agencies_and_users() -> dict[str, int]:
    """Create what is missing; never change what exists (idempotent). Returns counts of new rows."""
    created = {"agencies": 0, "users": 0}
    for region in REGIONS:
        agencies = {}
        for kind, (name, abbreviation) in region["agencies"].items():
            agency, new = Agency.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "abbreviation": abbreviation,
                    "region_code": region["code"],
                    "region_name": region["name"],
                },
            )
            agencies[kind] = agency
            created["agencies"] += new
        for role, full_name in region["people"].items():
            username = f"{role}{region['suffix']}"
            if User.objects.filter(username=username).exists():
                continue
            kind = ROLE_AGENCY_KIND[role]
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                agency=agencies[kind] if kind else None,
                is_liaison=role in (Role.ENFORCEMENT_JUDGE, Role.POLICE_HEAD, Role.PROCURATOR),
                email=f"{username}@example.org",
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
            created["users"] += 1
    return created
