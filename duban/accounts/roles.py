"""Roles are Django groups; a user's person (Person.user) says which jurisdiction and unit they act for.

第八条 names who acts: the 督查室 investigates, the unit's 二级督查, the 一级督查 and the 副总督查 give
opinions, the 总督查 reviews, the 督查落实委员会 approves. Units report through their 联络员; the people
held accountable (第三条) see and appeal their own decisions.
"""

from __future__ import annotations

OFFICE = "督查室"
LIAISON_SUPERVISOR = "二级督查"
FIRST_LEVEL_SUPERVISOR = "一级督查"
DEPUTY_CHIEF_SUPERVISOR = "副总督查"
CHIEF_SUPERVISOR = "总督查"
COMMITTEE = "督查落实委员会"
UNIT_LIAISON = "联络员"
UNIT_STAFF = "单位工作人员"

ROLES = (
    OFFICE,
    LIAISON_SUPERVISOR,
    FIRST_LEVEL_SUPERVISOR,
    DEPUTY_CHIEF_SUPERVISOR,
    CHIEF_SUPERVISOR,
    COMMITTEE,
    UNIT_LIAISON,
    UNIT_STAFF,
)

# A person's function (Person.role) → the group their login belongs to.
GROUP_FOR_PERSON_ROLE = {
    "督查室工作人员": OFFICE,
    "二级督查": LIAISON_SUPERVISOR,
    "一级督查": FIRST_LEVEL_SUPERVISOR,
    "副总督查": DEPUTY_CHIEF_SUPERVISOR,
    "总督查": CHIEF_SUPERVISOR,
    "联络员": UNIT_LIAISON,
    "承办人员": UNIT_STAFF,
    "科室负责人": UNIT_STAFF,
    "分管领导": UNIT_STAFF,
    "单位主要领导": UNIT_STAFF,
}
