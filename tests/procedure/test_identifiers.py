"""The official forms and check characters of procedure.identifiers, against numbers whose validity is public
knowledge (the GB 11643-1999 example number, unified social credit codes printed on business licences)."""

import pytest

from procedure.duplicates import OPEN_STATES, blocks_new_case, duplicate_case_key, material_removable
from procedure.identifiers import (
    case_number_variants,
    identity_check_character,
    looks_like_entity,
    normalize_case_number,
    normalize_identifier,
    party_identifier_problem,
    party_kind_for,
    same_name,
    search_form,
    uscc_check_character,
)
from procedure.states import TERMINAL_STATES, CaseState


@pytest.mark.parametrize("typed", [
    "（2025）桂0102执1234号",
    "(2025)桂0102执1234号",
    "（２０２５）桂０１０２执１２３４号",
    " (2025) 桂0102 执1234号\u3000",
    "〔2025〕桂0102执1234号",
    "［２０２５］桂0102执1234号",
])
def test_case_numbers_take_the_official_form(typed):
    assert normalize_case_number(typed) == "（2025）桂0102执1234号"


def test_a_search_finds_the_official_form_however_typed():
    assert "（2025）桂0102执12" in case_number_variants("(2025)桂0102执12")
    assert "（2025）桂0102执1234号" in case_number_variants("（２０２５）桂0102执1234号")
    assert search_form("（２０２５）桂0102执１２３４号  张伟") == "（2025）桂0102执1234号 张伟"  # words kept apart
    assert case_number_variants("   ") == set()


def test_gb_11643_check_character():
    # The example of GB 11643-1999 itself, and a number whose check character is X.
    assert identity_check_character("11010519491231002") == "X"
    assert identity_check_character("44052418800101001") == "4"
    assert party_identifier_problem("11010519491231002X", "person") is None
    assert party_identifier_problem("110105194912310021", "person").code == "identity_check"
    assert party_identifier_problem("110105194913310026", "person").code == "identity_date"  # month 13
    assert party_identifier_problem("11010519491231002", "person").code == "identity_length"  # a digit lost
    assert party_identifier_problem("E12345678", "person") is None  # a passport is taken as written


def test_gb_32100_check_character():
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert party_identifier_problem("91350100M000100Y43", "entity") is None
    assert party_identifier_problem("91350100M000100Y44", "entity").code == "uscc_check"
    assert party_identifier_problem("91350100M000100O43", "entity").code == "uscc_symbol"  # O is not a symbol
    assert party_identifier_problem("91350100M000100Y4", "entity").code == "uscc_length"
    assert party_identifier_problem("330106000123456", "entity") is None  # an old registration number


def test_a_number_of_the_other_kind_says_the_kind_is_wrong():
    assert party_identifier_problem("91350100M000100Y43", "person").code == "uscc_for_person"
    assert party_identifier_problem("11010519491231002X", "entity").code == "identity_for_entity"


def test_identifiers_are_read_as_written_on_paper():
    assert normalize_identifier(" 110105 19491231 002x ") == "11010519491231002X"
    assert normalize_identifier("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize(("name", "kind"), [
    ("广西南宁宏达建材有限公司", "entity"),
    ("南宁某某股份有限公司第一分公司", "entity"),
    ("南宁某某投资合伙企业（有限合伙）", "entity"),
    ("南宁某某投资合伙企业(有限合伙)", "entity"),
    ("某某律师事务所", "entity"),
    ("张伟", "person"),
    ("李记粉店", "person"),  # an individual business is a natural person
])
def test_the_kind_follows_the_name_when_not_given(name, kind):
    assert party_kind_for(name, None) == kind
    assert party_kind_for(name, "person") == "person"  # a kind that was given is kept
    assert looks_like_entity(name) is (kind == "entity")


def test_names_differ_only_by_more_than_spacing_width_and_case():
    assert same_name("张 伟", "张伟") and same_name("ＡＢＣ公司", "abc公司")
    assert not same_name("王秀英", "广西南宁宏达建材有限公司")


def test_what_makes_two_cases_the_same_and_which_are_open():
    assert duplicate_case_key(3, "(2025)桂0102执1号") == duplicate_case_key(3, "（２０２５）桂0102执1号")
    assert duplicate_case_key(3, "（2025）桂0102执1号") != duplicate_case_key(4, "（2025）桂0102执1号")
    assert OPEN_STATES.isdisjoint(TERMINAL_STATES)
    assert blocks_new_case(CaseState.NOT_FILED) and not blocks_new_case(CaseState.CANCELLED)
    assert material_removable(CaseState.DRAFT) and not material_removable(CaseState.TRANSFERRED)
