"""CITATION.cff: a valid Citation File Format 1.2.0 document whose version is the
package's, so a release cannot cite the wrong version."""

import tomllib

import yaml

import polarsim
from tests.conftest import ROOT


def test_citation_file_names_this_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version"} <= set(cff)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert str(cff["version"]) == project["version"] == polarsim.__version__
    assert all("name" in a or "family-names" in a for a in cff["authors"])
