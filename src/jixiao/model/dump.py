"""A project as spec YAML in the hand-written style, read back by the loader as the same model.

:func:`dump` walks the model's key declarations (``model_keys``) in form order and writes
the keys of the project's form kind, as ``docs/spec-format.md`` and the files under
``specs/`` are written:

* text plain where YAML allows it, double-quoted where it does not; goals
  (``Key.paragraph``) and any multi-line text as ``|`` blocks;
* amounts, scores and rates with the decimals they were written with (``0.30`` stays
  ``0.30``), dates as ``2026-01-01``, 起止年度 as ``2025-2026``;
* the indicator grid as 一级 → 二级 → ``- 三级指标: …`` items, ``无`` where the grid has none;
* a key whose value is empty (``None``, ``""``) is left out, unless it is required on the
  form or named in ``blanks``: then it is written blank (``其他资金:``), a cell to fill in.
  The default, :data:`KEPT_BLANKS`, keeps the blanks a hand-written spec keeps: every amount
  of the funds block, 年度指标值, 总分. A skeleton for a clerk adds the keys to be filled
  (``selfeval.TO_FILL``: 实际完成值, 得分 …);
* a value that is the field's default is left out (``公开: true``).

Keys are named by *attribute path*: the model's attribute names from the project, joined by
dots — ``"year"``, ``"funds.unit"``, ``"funds.total.budget"``; an indicator's keys are under
``"indicators"`` (``"indicators.actual"``), as the grid's levels have no attributes. ``omit``
leaves keys out (those a folder's ``_defaults.yaml`` gives: :func:`inherited_paths`),
``comments`` writes a comment after a key's value, ``header`` comment lines at the top.
A path the model does not declare is a ``ValueError``: a typo never goes unnoticed.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import MISSING, fields
from typing import Any

from jixiao.model.project import (
    FUNDS_MODELS,
    INHERITED,
    Defaults,
    FirstLevel,
    Indicator,
    Key,
    Kind,
    Project,
    model_keys,
)
from jixiao.model.values import fmt
from jixiao.model.vocab import PLACEHOLDER, FormKind
from jixiao.yamltext import Entry, Items, Raw, Text, Value, document

_AMOUNTS = (Kind.MONEY, Kind.SCORE, Kind.PERCENT)


@functools.cache
def key_paths() -> Mapping[str, Key]:
    """Every attribute path of a project's keys, in form order (both funds blocks under ``funds``)."""
    out: dict[str, Key] = {}

    def walk(cls: type, prefix: str) -> None:
        for attr, k in model_keys(cls):
            path = prefix + attr
            out.setdefault(path, k)
            if k.kind is Kind.MODEL:
                assert k.model is not None
                walk(k.model, path + ".")
            elif k.kind is Kind.FUNDS:
                for model in FUNDS_MODELS:
                    walk(model, path + ".")
            elif k.kind is Kind.INDICATORS:
                walk(Indicator, path + ".")

    walk(Project, "")
    return out


# The blanks a hand-written spec keeps: every amount cell of the funds block (the form prints
# them, empty or not), 年度指标值 of every indicator, and the self-evaluation's 总分.
KEPT_BLANKS = frozenset(
    {p for p, k in key_paths().items() if p.startswith("funds.") and k.kind in _AMOUNTS}
    | {"indicators.target", "total_score"})


def dump(project: Project, *, omit: Collection[str] = frozenset(), blanks: Collection[str] = KEPT_BLANKS,
         comments: Mapping[str, str] | None = None, header: Sequence[str] = ()) -> str:
    """The spec file of ``project`` (see the module's docstring for the arguments)."""
    comments = comments or {}
    unknown = sorted({*omit, *blanks, *comments} - key_paths().keys())
    if unknown:
        raise ValueError(f"not a key path of the spec model: {', '.join(unknown)}")
    writer = _Writer(project.form, frozenset(omit), frozenset(blanks), comments)
    return document(header, writer.fields(project, ""))


def dump_defaults(defaults: Defaults, header: Sequence[str] = ()) -> str:
    """A folder's ``_defaults.yaml`` for ``defaults``: the keys it sets, in declaration order."""
    return document(header, _Writer(FormKind.TARGET, frozenset(), frozenset(), {}).fields(defaults, ""))


def inherited_paths(project: Project, inherited: Mapping[str, object]) -> frozenset[str]:
    """The keys a spec need not write in a folder whose ``_defaults.yaml`` give ``inherited``
    (as ``load.workspace.inherited_for`` says): those that have the same value there."""
    out = {attr for attr in INHERITED if attr in inherited and getattr(project, attr) == inherited[attr]}
    funds = project.funds
    if funds is not None and "money_unit" in inherited and funds.unit == inherited["money_unit"]:
        out.add("funds.unit")
    return frozenset(out)


def _empty(value: object) -> bool:
    return value is None or value == "" or value == ()


_DEFAULTS: dict[type, dict[str, object]] = {}


def _defaults(cls: type) -> dict[str, object]:
    if cls not in _DEFAULTS:
        _DEFAULTS[cls] = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    return _DEFAULTS[cls]


class _Writer:
    def __init__(self, form: FormKind, omit: frozenset[str], blanks: frozenset[str],
                 comments: Mapping[str, str]) -> None:
        self.form = form
        self.omit = omit
        self.blanks = blanks
        self.comments = comments

    def fields(self, obj: Any, prefix: str) -> tuple[Entry, ...]:
        entries = []
        defaults = _defaults(type(obj))
        for attr, k in model_keys(type(obj)):
            path = prefix + attr
            if self.form not in k.forms or path in self.omit:
                continue
            value = getattr(obj, attr)
            kept = k.required or path in self.blanks
            if _empty(value):
                if not kept:
                    continue
                written: Value = None
            elif not kept and attr in defaults and value == defaults[attr]:
                continue
            else:
                written = self.value(k, value, path)
            entries.append(Entry(k.name, written, self.comments.get(path, "")))
        return tuple(entries)

    def value(self, k: Key, value: Any, path: str) -> Value:
        kind = k.kind
        if kind is Kind.TEXT or kind is Kind.CHOICE:
            return Text(value, k.paragraph)
        if kind is Kind.ENUM:
            return Text(value.value)
        if kind is Kind.BOOL:
            return Raw("true" if value else "false")
        if kind is Kind.INT or kind is Kind.YEAR:
            return Raw(str(value))
        if kind is Kind.MONEY or kind is Kind.SCORE:
            return Raw(fmt(value))
        if kind is Kind.PERCENT:
            return Raw(f"{fmt(value)}%")
        if kind is Kind.DATE:
            return Raw(value.isoformat())
        if kind is Kind.PERIOD:
            return Raw(f"{value[0]}-{value[1]}")
        if kind is Kind.MODEL or kind is Kind.FUNDS:
            return self.model(value, path)
        if kind is Kind.INDICATORS:
            return self.grid(value, path)
        raise TypeError(f"dump cannot write {kind.value} values ({k.name})")

    def model(self, obj: Any, path: str) -> Value:
        entries = self.fields(obj, path + ".")
        shorthand = getattr(type(obj), "shorthand", None)
        if shorthand is not None and len(entries) == 1 and not entries[0].comment \
                and entries[0].key == dict(model_keys(type(obj)))[shorthand].name \
                and isinstance(entries[0].value, Text):
            return entries[0].value  # `项目总目标: 文字` when there is nothing but the text
        return entries

    def grid(self, levels: tuple[FirstLevel, ...], path: str) -> Value:
        out = []
        for level in levels:
            if not level.children:
                out.append(Entry(level.name, Raw(PLACEHOLDER)))
                continue
            children = tuple(
                Entry(child.name, Raw(PLACEHOLDER) if child.placeholder
                      else Items(tuple(self.fields(ind, path + ".") for ind in child.indicators)))
                for child in level.children)
            out.append(Entry(level.name, children))
        return tuple(out)
