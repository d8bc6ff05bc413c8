"""JSON Schema of the spec files, generated from the model declarations.

Editors with the YAML language server (VS Code's YAML extension and others)
read it through a ``# yaml-language-server: $schema=…`` line and offer
completion and Chinese hover help. The schema is deliberately a little looser
than ``jixiao check`` (inherited keys are optional, amounts may be numbers or
strings): the editor helps; ``check`` decides.
"""

from __future__ import annotations

from typing import Any

from jixiao.model.project import (
    FUNDS_MODELS,
    Defaults,
    Key,
    Kind,
    Project,
    model_keys,
)
from jixiao.model.project import Indicator as IndicatorModel
from jixiao.model.vocab import FRAMEWORK, PLACEHOLDER, PRACTICE_WEIGHTS
from jixiao.rules import RULES

DRAFT = "http://json-schema.org/draft-07/schema#"
# The schemas' identity: a name, not an address (nothing is fetched; editors are given the
# file itself), the same in every version of jixiao.
ID = "urn:jixiao:schema"
_NUMBER_TEXT = r"^[+-]?[0-9][0-9,]*(\.[0-9]+)?$"


def _number(text: str) -> float | int | None:
    try:
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        return None


def _scalar(k: Key) -> dict[str, Any]:
    kind = k.kind
    if kind in (Kind.MONEY, Kind.SCORE):
        return {"type": ["number", "string", "null"], "pattern": _NUMBER_TEXT}
    if kind is Kind.PERCENT:
        return {"type": ["string", "null"], "pattern": r"^[0-9.]+\s*[%％]$"}
    if kind is Kind.DATE:
        return {"type": "string", "examples": ["2026-01-01"]}
    if kind is Kind.YEAR:
        return {"type": ["integer", "string"], "examples": [2026]}
    if kind is Kind.PERIOD:
        return {"type": ["string", "integer"], "examples": ["2025-2026"]}
    if kind is Kind.INT:
        return {"type": "integer"}
    if kind is Kind.BOOL:
        return {"type": "boolean"}
    if kind is Kind.CHOICE:
        # An editor reads `2026.1` as a number; jixiao reads the text, so offer both.
        return {"enum": [*k.choices, *(_number(c) for c in k.choices if _number(c) is not None)]}
    if kind is Kind.ENUM:
        assert k.enum is not None
        return {"enum": [m.value for m in k.enum]}
    if kind is Kind.RULE_LEVELS:
        return {"type": "object", "additionalProperties": False,
                "properties": {rid: {"enum": ["关闭", "警告", "错误"], "description": r.title}
                               for rid, r in RULES.items()}}
    if kind is Kind.WEIGHTS:
        return {"type": "object", "additionalProperties": False,
                "properties": {name: {"type": "number", "description": f"常规 {points} 分"}
                               for name, points in PRACTICE_WEIGHTS.items()}}
    # Text as editors see it: YAML 1.2 reads `1300` or `2026.1` as numbers, which are fine here.
    return {"type": ["string", "number", "null"]}


def _object(cls: type, required: bool = True, description: str | None = None) -> dict[str, Any]:
    """The schema of a model class. Its description is Chinese, for an editor's hover: a
    field's own description replaces it (see :func:`_field`); the docstrings are for
    programmers and are not used."""
    props: dict[str, Any] = {}
    need = []
    for _, k in model_keys(cls):
        props[k.name] = _field(k)
        if k.required and required and cls is not Project and not k.inheritable:
            need.append(k.name)
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if need:
        schema["required"] = need
    if description:
        schema["description"] = description
    return schema


def _field(k: Key) -> dict[str, Any]:
    if k.kind is Kind.MODEL:
        assert k.model is not None
        schema = _object(k.model)
        if getattr(k.model, "shorthand", None):
            schema = {"anyOf": [schema, {"type": "string"}]}
    elif k.kind is Kind.FUNDS:
        schema = {"anyOf": [_object(model) for model in FUNDS_MODELS]}
    elif k.kind is Kind.INDICATORS:
        schema = _indicators()
    else:
        schema = _scalar(k)
    schema["description"] = k.desc
    if k.example:
        schema["examples"] = [k.example]
    return schema


def _indicators() -> dict[str, Any]:
    indicator = _object(IndicatorModel, description="一个三级指标（表上的一行）")
    rows = {"anyOf": [{"type": "array", "items": indicator},
                      {"const": PLACEHOLDER, "description": "本项没有指标"}]}
    levels = {}
    for level1, level2s in FRAMEWORK.items():
        levels[level1] = {
            "anyOf": [{"type": "object", "additionalProperties": False,
                       "properties": {name: {**rows, "description": f"{level1} › {name}"}
                                      for name in level2s}},
                      {"const": PLACEHOLDER}],
            "description": f"一级指标：{level1}（二级：{'、'.join(level2s)}）",
        }
    return {"type": "object", "additionalProperties": False, "properties": levels}


def project_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": f"{ID}:project",
        "title": "jixiao 项目规格",
        **_object(Project),
        "description": "一个项目一年的绩效目标表、申报表或自评表。主管部门、年度等可写在目录的 _defaults.yaml 中。",
    }


def defaults_schema() -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": f"{ID}:defaults", "title": "jixiao 目录默认值（_defaults.yaml）",
            **_object(Defaults, description="目录的 _defaults.yaml：本目录及子目录下的项目文件继承这里的值")}


def workspace_schema() -> dict[str, Any]:
    """One schema for every YAML file of a workspace (the editor settings ``jixiao new``
    writes map it to all of them): a file with 项目名称 is a project, any other a folder's
    ``_defaults.yaml`` (which never has one)."""
    project, defaults = project_schema(), defaults_schema()
    for part in (project, defaults):
        del part["$schema"], part["$id"]
    return {"$schema": DRAFT, "$id": f"{ID}:workspace", "title": "jixiao 工作区的规格文件",
            "description": "有「项目名称」的是项目规格，否则是目录的 _defaults.yaml",
            "if": {"type": "object", "required": ["项目名称"]}, "then": project, "else": defaults}
