"""The generated documentation is up to date, and the JSON Schema accepts the demo workspace."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jixiao.jsonschema import defaults_schema, project_schema, workspace_schema
from jixiao.load.yamlsafe import YMap, YNode, YScalar, YSeq, parse_yaml
from jixiao.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import update_docs  # noqa: E402


def test_rules_doc_is_generated_from_the_code() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == update_docs.rules_doc(current), "run scripts/update_docs.py"
    for rule_id in RULES:
        assert f"| `{rule_id}` |" in current


@pytest.mark.parametrize(("name", "schema"), [("project", project_schema), ("defaults", defaults_schema)])
def test_schema_files_are_generated_from_the_code(name: str, schema: Any) -> None:
    path = ROOT / "docs" / "schema" / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == update_docs.schema_text(schema()), "run scripts/update_docs.py"
    jsonschema.Draft7Validator.check_schema(schema())


def _texts(node: Any) -> list[str]:
    """Every title and description in a schema."""
    if isinstance(node, dict):
        own = [v for k, v in node.items() if k in ("title", "description") and isinstance(v, str)]
        return own + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


@pytest.mark.parametrize("schema", [project_schema, defaults_schema, workspace_schema])
def test_every_schema_description_is_chinese(schema: Any) -> None:
    """An editor shows these on hover to a clerk (two were English docstrings)."""
    texts = _texts(schema())
    assert len(texts) > 50
    assert [t for t in texts if not re.search("[\u4e00-\u9fff]", t)] == []


_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def as_editor_sees_it(node: YNode) -> Any:
    """YAML 1.2 core schema, as the YAML language server in editors resolves scalars."""
    if isinstance(node, YMap):
        return {k.text: as_editor_sees_it(v) for k, v in node.entries}
    if isinstance(node, YSeq):
        return [as_editor_sees_it(v) for v in node.items]
    assert isinstance(node, YScalar)
    if not node.plain:
        return node.text
    text = node.text
    if node.is_null:
        return None
    if text in ("true", "false"):
        return text == "true"
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _spec_files() -> list[Path]:
    return sorted((ROOT / "specs").rglob("*.yaml"))


def test_demo_workspace_exists() -> None:
    assert len([p for p in _spec_files() if p.name != "_defaults.yaml"]) >= 20


@pytest.mark.parametrize("path", _spec_files(), ids=lambda p: str(p.relative_to(ROOT / "specs")))
def test_every_demo_file_validates_against_its_schema(path: Path) -> None:
    tree, problems = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert not problems and tree is not None
    schema = defaults_schema() if path.name == "_defaults.yaml" else project_schema()
    for one in (schema, workspace_schema()):  # the workspace's one schema takes each for what it is
        errors = sorted(jsonschema.Draft7Validator(one).iter_errors(as_editor_sees_it(tree)), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = "defaults" if path.name == "_defaults.yaml" else "project"
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith(f"{kind}.schema.json")
    target = (path.parent / first.split("=", 1)[1]).resolve()
    assert target == (ROOT / "docs" / "schema" / f"{kind}.schema.json").resolve()


def test_schema_rejects_what_check_rejects() -> None:
    validator = jsonschema.Draft7Validator(project_schema())
    bad = {"项目名称": "x", "实施单住": "平安办"}
    assert any("实施单住" in e.message for e in validator.iter_errors(bad))
    description = project_schema()["properties"]["项目资金"]["description"]
    assert "项目资金" in description
    assert json.dumps(project_schema(), ensure_ascii=False).count("description") > 40


def test_the_schemas_have_a_stable_name_not_an_address() -> None:
    assert [s()["$id"] for s in (project_schema, defaults_schema, workspace_schema)] == [
        "urn:jixiao:schema:project", "urn:jixiao:schema:defaults", "urn:jixiao:schema:workspace"]
    jsonschema.Draft7Validator.check_schema(workspace_schema())
    # a _defaults.yaml is not taken for a project with errors, nor a project for defaults
    validator = jsonschema.Draft7Validator(workspace_schema())
    assert not list(validator.iter_errors({"主管部门": "某部门", "年度": 2027}))
    assert list(validator.iter_errors({"项目名称": "甲", "实施单位": "乙", "不存在的键": 1}))
