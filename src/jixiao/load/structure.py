"""Building typed models from the located YAML tree.

The builder walks a :class:`~jixiao.load.yamlsafe.YNode` tree guided by the
``Key`` declarations of the model classes and reports *every* structural
problem (missing and unknown keys, wrong types, unreadable values) as a
located diagnostic. It never stops at the first one: a missing value becomes
``None`` (or ``""`` for text) and the walk goes on, so one run shows the
author everything to fix.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from jixiao.errors import Diagnostic, Location
from jixiao.load.yamlsafe import NULL_WORDS, YMap, YNode, YScalar, YSeq, describe
from jixiao.model import values
from jixiao.model.project import (
    ALL_FORMS,
    RULE_LEVELS,
    Defaults,
    FirstLevel,
    Indicator,
    Key,
    Kind,
    Pos,
    Project,
    SecondLevel,
    SelfEvalFunds,
    TargetFunds,
    funds_model,
    model_keys,
)
from jixiao.model.vocab import PLACEHOLDER, FormKind
from jixiao.rules import RULES, rule

T = TypeVar("T")
# Hot path: build the named tuples without their Python-level __new__ (same objects, less work).
_tuple = tuple.__new__

# What is left of 1,020.00 after a flow mapping's comma split it: "020.00".
_SPLIT_AMOUNT = re.compile(r"\d{3}(?:,\d{3})*(?:\.\d+)?")
_BOOL_WORDS = {"true": True, "false": False, "是": True, "否": False}
_AMBIGUOUS_BOOLS = {"yes", "no", "on", "off", "y", "n"}

# Keys of every model, to suggest a spelling or name the form a key belongs to.
_ALL_KEYS: dict[str, Key] = {}


@dataclass(frozen=True, slots=True)
class Inherited:
    """A value taken from a ``_defaults.yaml``, with where it was written there."""

    value: Any
    loc: Location


def _known_keys() -> dict[str, Key]:
    if not _ALL_KEYS:
        for cls in (Project, TargetFunds, SelfEvalFunds, Indicator, Defaults):
            for _, k in model_keys(cls):
                _ALL_KEYS.setdefault(k.name, k)
            for _, k in model_keys(cls):
                if k.model is not None:
                    for _, sub in model_keys(k.model):
                        _ALL_KEYS.setdefault(sub.name, sub)
    return _ALL_KEYS


def suggest(word: str, candidates: list[str]) -> str:
    """``；是否想写「实施单位」？`` or nothing."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.4)
    return f"；是否想写「{close[0]}」？" if close else ""


class Builder:
    """Converts one file's tree into models, collecting diagnostics."""

    def __init__(self, form: FormKind | None = None) -> None:
        self.form = form
        self.diagnostics: list[Diagnostic] = []
        self._plans = _PLANS.setdefault(form, {})

    # -- reporting ----------------------------------------------------------------------------

    def report(self, rule_id: str, loc: Location, message: str) -> None:
        self.diagnostics.append(rule(rule_id).at(loc, message))

    # -- models -------------------------------------------------------------------------------

    def build(
        self,
        cls: type[T],
        node: YNode,
        path: str,
        inherited: Mapping[str, Inherited] | None = None,
    ) -> T | None:
        """Build ``cls`` from a mapping node; ``None`` if the node is not a mapping."""
        plan = self._plans.get(cls)
        if plan is None:
            plan = self._plans[cls] = _Plan.of(cls, self.form)
        if isinstance(node, YScalar) and plan.shorthand and not node.is_null:
            text = self.text(node)
            return cls(**{plan.shorthand: text, "pos": Pos(node.loc, {plan.shorthand: node.loc})})
        if not isinstance(node, YMap):
            self.report("wrong-type", node.loc, f"「{path or '文件内容'}」应为映射（键: 值），实际是{describe(node)}")
            return None
        inherited = inherited or {}
        # The keys to visit: those written, those required and those inherited, in the
        # order the model declares them (the order of the findings); an optional key left
        # out — most of a model's keys, most of the time — is not looked at.
        unknown: list[YScalar] = []
        given: dict[int, YNode] = {}
        index = plan.index
        for key_node, written in node.entries:
            i = index.get(key_node.text)
            if i is None:
                unknown.append(key_node)
            else:
                given[i] = written
        visit = given.keys() | plan.required
        if inherited:
            visit |= {plan.index_of_attr[attr] for attr in inherited if attr in plan.index_of_attr}
        kwargs: dict[str, Any] = {}
        where: dict[str, Location] = {}
        for i in sorted(visit):
            attr, k = plan.declared[i]
            child = given.get(i)
            sub = f"{path}.{k.name}" if path else k.name
            if child is not None and i in plan.not_for_form:
                assert self.form is not None
                self.report("not-for-form", child.loc,
                            f"「{sub}」不属于{self.form.value}（只用于{_form_names(k.forms)}）")
                continue
            absent = child is None or (k.kind is not Kind.TEXT and isinstance(child, YScalar)
                                       and child.is_null)
            if absent and attr in inherited:
                kwargs[attr] = inherited[attr].value
                where[attr] = inherited[attr].loc
                continue
            if child is None:
                if i in plan.reported_missing:
                    self.report("missing-key", node.loc, f"缺少「{sub}」：{k.desc}")
                continue
            where[attr] = child.loc
            handler = plan.handlers[i]
            value = handler(self, k, child, sub) if handler is not None else self.value(k, child, sub, inherited)
            if value is not None and value != "":
                kwargs[attr] = value
            elif k.required and isinstance(child, YScalar) and (child.is_null or value == ""):
                self.report("missing-key" if k.kind is not Kind.TEXT else "empty-text", child.loc,
                            f"「{sub}」不能为空：{k.desc}")
        for key_node in unknown:
            self._unknown(key_node, path, plan.names)
        kwargs["pos"] = _tuple(Pos, (node.loc, where))
        return cls(**kwargs)

    def _unknown(self, key_node: YScalar, path: str, names: list[str]) -> None:
        name = key_node.text
        where = f"「{path}」中" if path else ""
        if _SPLIT_AMOUNT.fullmatch(name):
            self.report("unknown-key", key_node.loc,
                        f"{where}「{name}」像是被逗号拆开的金额：在 {{ }} 里，千分位逗号会把金额拆成两项；"
                        "请去掉千分位逗号，或把这几项分行书写")
            return
        other = _known_keys().get(name)
        if other is not None and self.form is not None and self.form not in other.forms:
            self.report("not-for-form", key_node.loc,
                        f"「{name}」不属于{self.form.value}（只用于{_form_names(other.forms)}）")
            return
        self.report("unknown-key", key_node.loc, f"{where}不认识的键「{name}」{suggest(name, names)}")

    # -- values -------------------------------------------------------------------------------

    def value(self, k: Key, node: YNode, path: str, inherited: Mapping[str, Inherited]) -> Any:
        handler = _HANDLERS.get(k.kind)
        if handler is not None:
            return handler(self, k, node, path)
        if k.kind is Kind.MODEL:
            assert k.model is not None
            return self.build(k.model, node, path)
        if k.kind is Kind.FUNDS:
            return self.funds(node, path, inherited)
        if k.kind is Kind.INDICATORS:
            return self.indicators(node, path)
        raise AssertionError(f"unhandled kind {k.kind}")  # pragma: no cover

    def scalar(self, node: YNode, path: str, what: str) -> YScalar | None:
        if isinstance(node, YScalar):
            return None if node.is_null else node
        self.report("wrong-type", node.loc, f"「{path}」应为{what}，实际是{describe(node)}")
        return None

    def text(self, node: YScalar) -> str:
        # Block scalars end with a newline and flow lines may carry spaces; neither is data.
        return node.text.strip()

    def parsed(self, node: YNode, path: str, what: str, parse: Callable[[str], T]) -> T | None:
        s = self.scalar(node, path, what)
        if s is None:
            return None
        try:
            return parse(s.text)
        except values.ValueParseError as exc:
            self.report("invalid-value", s.loc, f"「{path}」应为{what}：{exc}")
            return None

    def number(self, k: Key, node: YNode, path: str) -> Decimal | None:
        what = "金额" if k.kind is Kind.MONEY else "分数"
        result = self.parsed(node, path, what,
                             values.parse_money if k.kind is Kind.MONEY else values.parse_score)
        if result is not None and isinstance(node, YScalar) and values.has_leading_zero(node.text):
            self.report("number-leading-zero", node.loc,
                        f"「{path}」写作 {node.text.strip()}，按十进制读作 {result}；请直接写 {result}")
        return result

    def funds(self, node: YNode, path: str, inherited: Mapping[str, Inherited]) -> Any:
        cls: type = funds_model(self.form)
        unit = inherited.get("money_unit")
        return self.build(cls, node, path, {"unit": unit} if unit else None)

    # -- the indicator tree -------------------------------------------------------------------

    def indicators(self, node: YNode, path: str) -> tuple[FirstLevel, ...]:
        if not isinstance(node, YMap):
            self.report("wrong-type", node.loc,
                        f"「{path}」应为「一级指标: 二级指标: 三级指标列表」的映射，实际是{describe(node)}")
            return ()
        levels = []
        for key1, value1 in node.entries:
            sub = f"{path}.{key1.text}"
            if _is_placeholder(value1):
                levels.append(FirstLevel(name=key1.text, pos=Pos(key1.loc)))
                continue
            if not isinstance(value1, YMap):
                self.report("wrong-type", value1.loc,
                            f"「{sub}」应为二级指标的映射（如 数量指标: 列表），实际是{describe(value1)}")
                continue
            children = tuple(self.second_level(k2, v2, f"{sub}.{k2.text}") for k2, v2 in value1.entries)
            levels.append(FirstLevel(name=key1.text, children=children, pos=Pos(key1.loc)))
        return tuple(levels)

    def second_level(self, key2: YScalar, node: YNode, path: str) -> SecondLevel:
        if _is_placeholder(node):
            return SecondLevel(name=key2.text, placeholder=True, pos=Pos(key2.loc))
        if not isinstance(node, YSeq):
            self.report("wrong-type", node.loc,
                        f"「{path}」应为三级指标列表（每项以「- 三级指标:」开头）或「无」，实际是{describe(node)}")
            return SecondLevel(name=key2.text, pos=Pos(key2.loc))
        items = []
        for i, item in enumerate(node.items, 1):
            built = self.build(Indicator, item, f"{path}[{i}]")
            if built is not None:
                items.append(built)
        return SecondLevel(name=key2.text, indicators=tuple(items), pos=Pos(key2.loc))


@dataclass(frozen=True, slots=True)
class _Plan:
    """A model class's keys, indexed for the builder of one form (one per class and form):
    what the loop over a mapping's keys would otherwise work out again for every node."""

    declared: tuple[tuple[str, Key], ...]  # (attribute, Key) in form order
    index: dict[str, int]  # YAML key → its place in ``declared``
    index_of_attr: dict[str, int]  # attribute → its place in ``declared``
    required: frozenset[int]  # places of the required keys: visited even when not written
    reported_missing: frozenset[int]  # required keys of this form: their absence is reported
    not_for_form: frozenset[int]  # keys of other forms only
    handlers: tuple[Callable[[Builder, Key, YNode, str], Any] | None, ...]  # for a scalar kind
    names: list[str]  # the YAML keys in form order, for spelling suggestions
    shorthand: str | None  # the field a bare scalar fills (``项目总目标: 文字``)

    @staticmethod
    def of(cls: type, form: FormKind | None) -> _Plan:
        declared = model_keys(cls)

        def of_form(k: Key) -> bool:
            return form is None or form in k.forms

        return _Plan(
            declared=declared,
            index={k.name: i for i, (_, k) in enumerate(declared)},
            index_of_attr={attr: i for i, (attr, _) in enumerate(declared)},
            required=frozenset(i for i, (_, k) in enumerate(declared) if k.required),
            reported_missing=frozenset(i for i, (_, k) in enumerate(declared) if k.required and of_form(k)),
            not_for_form=frozenset(i for i, (_, k) in enumerate(declared)
                                   if k.forms is not ALL_FORMS and not of_form(k)),
            handlers=tuple(_HANDLERS.get(k.kind) for _, k in declared),
            names=list(dict.fromkeys(k.name for _, k in declared)),
            shorthand=getattr(cls, "shorthand", None),
        )


# Plans by form, then class: a builder looks its form up once (enum members hash in Python).
_PLANS: dict[FormKind | None, dict[type, _Plan]] = {}


def _is_placeholder(node: YNode) -> bool:
    return isinstance(node, YScalar) and node.text.strip() == PLACEHOLDER


def _form_names(forms: frozenset[FormKind]) -> str:
    return "、".join(f.value for f in FormKind if f in forms)


# -- scalar handlers by kind ----------------------------------------------------------------------


def _text(b: Builder, k: Key, node: YNode, path: str) -> str | None:
    if type(node) is YScalar:  # the common case, as Builder.scalar and Builder.text do it
        text = node.text.strip()
        return None if node.plain and text in NULL_WORDS else text
    s = b.scalar(node, path, "文字")
    return None if s is None else b.text(s)


def _choice(b: Builder, k: Key, node: YNode, path: str) -> str | None:
    s = b.scalar(node, path, "文字")
    if s is None:
        return None
    text = b.text(s)
    if text not in k.choices:
        b.report("invalid-value", s.loc,
                 f"「{path}」应为 {' / '.join(k.choices)} 之一，实际是「{text}」{suggest(text, list(k.choices))}")
        return None
    return text


def _enum(b: Builder, k: Key, node: YNode, path: str) -> enum.Enum | None:
    assert k.enum is not None
    s = b.scalar(node, path, "文字")
    if s is None:
        return None
    text = b.text(s)
    options = [str(m.value) for m in k.enum]
    for member in k.enum:
        if member.value == text:
            return member
    b.report("invalid-value", s.loc,
             f"「{path}」应为 {' / '.join(options)} 之一，实际是「{text}」{suggest(text, options)}")
    return None


def _bool(b: Builder, k: Key, node: YNode, path: str) -> bool | None:
    s = b.scalar(node, path, "true 或 false")
    if s is None:
        return None
    word = s.text.strip()
    if word.lower() in _BOOL_WORDS:
        return _BOOL_WORDS[word.lower()]
    hint = "（yes/no/on/off 在不同 YAML 版本里含义不同，这里不猜）" if word.lower() in _AMBIGUOUS_BOOLS else ""
    b.report("invalid-value", s.loc, f"「{path}」应为 true 或 false，实际是「{word}」{hint}")
    return None


def _int(b: Builder, k: Key, node: YNode, path: str) -> int | None:
    def parse(text: str) -> int:
        if not text.strip().isdigit():
            raise values.ValueParseError(f"「{text.strip()}」不是整数")
        # The only integer setting is 得分小数位: more than 6 places is never meant.
        if int(text.strip()) > 6:
            raise values.ValueParseError(f"「{text.strip()}」太大：小数位最多 6 位")
        return int(text.strip())

    return b.parsed(node, path, "整数", parse)


def _named_entries(b: Builder, node: YNode, path: str, shape: str, names: Collection[str] | None,
                   unknown: str = "不认识") -> list[tuple[YScalar, YNode]] | None:
    """The entries of a 「名称: 值」 mapping whose names must be among ``names`` (any, when None).

    Not a mapping: reported, None. A name not among ``names``: reported, left out.
    """
    if not isinstance(node, YMap):
        b.report("wrong-type", node.loc, f"「{path}」应为「{shape}」的映射，实际是{describe(node)}")
        return None
    known = []
    for key_node, value in node.entries:
        if names is not None and key_node.text not in names:
            b.report("unknown-key", key_node.loc,
                     f"「{path}」中{unknown}「{key_node.text}」{suggest(key_node.text, list(names))}")
            continue
        known.append((key_node, value))
    return known


def _rule_levels(b: Builder, k: Key, node: YNode, path: str) -> dict[str, str | None] | None:
    entries = _named_entries(b, node, path, "规则编号: 关闭/警告/错误", RULES, unknown="没有规则")
    if entries is None:
        return None
    levels: dict[str, str | None] = {}
    for key_node, value in entries:
        word = _text(b, k, value, f"{path}.{key_node.text}")
        if word is None:
            continue
        if word not in RULE_LEVELS:
            b.report("invalid-value", value.loc, f"「{path}.{key_node.text}」应为 关闭 / 警告 / 错误，实际是「{word}」")
            continue
        levels[key_node.text] = RULE_LEVELS[word]
    return levels


def _weights(b: Builder, k: Key, node: YNode, path: str) -> dict[str, Decimal] | None:
    from jixiao.model.vocab import PRACTICE_WEIGHTS

    entries = _named_entries(b, node, path, "名称: 分值", PRACTICE_WEIGHTS)
    if entries is None:
        return None
    out: dict[str, Decimal] = {}
    for key_node, value in entries:
        points = b.number(Key(key_node.text, "", kind=Kind.SCORE), value, f"{path}.{key_node.text}")
        if points is not None:
            out[key_node.text] = points
    return out


def _text_map(b: Builder, k: Key, node: YNode, path: str) -> dict[str, str] | None:
    entries = _named_entries(b, node, path, "名称: 文字", k.choices or None)
    if entries is None:
        return None
    out: dict[str, str] = {}
    for key_node, value in entries:
        text = _text(b, k, value, f"{path}.{key_node.text}")
        if text is not None:
            out[key_node.text] = text
    return out


def _widths(b: Builder, k: Key, node: YNode, path: str) -> dict[str, tuple[float, ...]] | None:
    entries = _named_entries(b, node, path, "部分: [栏宽, …]", k.choices or None)
    if entries is None:
        return None
    out: dict[str, tuple[float, ...]] = {}
    for key_node, value in entries:
        sub = f"{path}.{key_node.text}"
        if not isinstance(value, YSeq) or not value.items:
            b.report("wrong-type", value.loc, f"「{sub}」应为栏宽列表，如 [14, 26, 14, 46]")
            continue
        widths = [b.number(Key(sub, "", kind=Kind.SCORE), item, sub) for item in value.items]
        if all(w is not None and w > 0 for w in widths):
            out[key_node.text] = tuple(float(w) for w in widths if w is not None)
        else:
            b.report("invalid-value", value.loc, f"「{sub}」的栏宽都应为正数")
    return out


def _bands(b: Builder, k: Key, node: YNode, path: str) -> dict[str, tuple[Decimal, Decimal]] | None:
    from jixiao.model.suggest import BANDS

    if not isinstance(node, YMap):
        b.report("wrong-type", node.loc, f"「{path}」应为「档次: 下限-上限」的映射，如 达成: 80-100")
        return None
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for key_node, value in node.entries:
        sub = f"{path}.{key_node.text}"
        if key_node.text not in BANDS:
            b.report("unknown-key", key_node.loc, f"「{path}」中不认识「{key_node.text}」{suggest(key_node.text, list(BANDS))}")
            continue
        text = _text(b, k, value, sub)
        parts = (text or "").replace("%", "").split("-")
        try:
            low, high = (values.parse_decimal(x) for x in parts) if len(parts) == 2 else (None, None)
        except values.ValueParseError:
            low = high = None
        if low is None or high is None or not 0 <= low <= high <= 100:
            b.report("invalid-value", value.loc, f"「{sub}」应为 0 到 100 之间的范围，如 80-100，实际是「{text}」")
            continue
        out[key_node.text] = (low, high)
    return out


_HANDLERS: dict[Kind, Callable[[Builder, Key, YNode, str], Any]] = {
    Kind.TEXT: _text,
    Kind.CHOICE: _choice,
    Kind.ENUM: _enum,
    Kind.BOOL: _bool,
    Kind.INT: _int,
    Kind.MONEY: lambda b, k, n, p: b.number(k, n, p),
    Kind.SCORE: lambda b, k, n, p: b.number(k, n, p),
    Kind.PERCENT: lambda b, k, n, p: b.parsed(n, p, "百分比（如 100.00%）", values.parse_percent),
    Kind.DATE: lambda b, k, n, p: b.parsed(n, p, "日期", values.parse_date),
    Kind.YEAR: lambda b, k, n, p: b.parsed(n, p, "年度", values.parse_year),
    Kind.PERIOD: lambda b, k, n, p: b.parsed(n, p, "起止年度（如 2025-2026）", values.parse_period),
    Kind.RULE_LEVELS: _rule_levels,
    Kind.WEIGHTS: _weights,
    Kind.TEXT_MAP: _text_map,
    Kind.WIDTHS: _widths,
    Kind.BANDS: _bands,
}
