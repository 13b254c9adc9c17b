"""Names that become folders and result-file keys are safe, or refused at validation (issue 13)."""

from __future__ import annotations

import copy

import pytest

from simulate.consistency import parse
from simulate.scenario import ScenarioError

from conftest import TINY


@pytest.mark.parametrize("name", ["../../x", "/abs/path", "", ".", "..", "a/b", ".hidden", "-flag"])
def test_a_scenario_name_that_is_not_one_plain_folder_name_is_refused(name):
    doc = copy.deepcopy(TINY)
    doc["name"] = name
    with pytest.raises(ScenarioError, match=r"name: must be one plain folder name"):
        parse(doc, "x.yaml")


@pytest.mark.parametrize("name", ["baseline", "acme_2027", "smb-scale.v2"])
def test_plain_names_are_taken(name):
    doc = copy.deepcopy(TINY)
    doc["name"] = name
    assert parse(doc, "x.yaml").name == name


def test_a_segment_named_all_is_refused_it_would_overwrite_the_whole_book_rows():
    doc = copy.deepcopy(TINY)
    doc["segments"]["all"] = doc["segments"].pop("mid")
    doc["staffing"]["full_stack"] = {"csm": 2}
    with pytest.raises(ScenarioError, match=r"segments\.all: 'all' cannot name a segment"):
        parse(doc, "x.yaml")


def test_a_nameless_scenario_takes_a_safe_name_from_its_file():
    doc = copy.deepcopy(TINY)
    del doc["name"]
    assert parse(copy.deepcopy(doc), "my scenario (v2).yaml").name == "my_scenario__v2_"
    assert parse(copy.deepcopy(doc), "<scenario>").name == "scenario_"
