"""Checks across the projects of a workspace: copies, duplicates, name slips."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence

from jixiao.errors import Diagnostic, Location
from jixiao.load.workspace import SpecFile
from jixiao.model.project import Project
from jixiao.model.vocab import PLACEHOLDER
from jixiao.rules import rule
from jixiao.validate.indicators import strip_numbering

Entry = tuple[SpecFile, Project]

# Goal texts shorter than this are too generic to call a copy (e.g. "维护辖区安全稳定").
MIN_COPIED_GOAL = 20
# An organisation named in text: a two-character place name, then what kind of body it
# is (杜行派出所, 鲁汇派出所). Exactly two characters, so that "解决杜行派出所" yields 杜行派出所.
_ENTITY = re.compile(r"(?=([\u4e00-\u9fff]{2})(派出所|居委会|村委会|中队|大队|街道))")
# A department name one character from another's is taken for a slip of it when the other
# has at least this many times as many projects that year (3 tables of 吴淞镇人民政府 among
# 17 of 吴泾镇人民政府); two real departments of similar size are left alone.
TYPO_RATIO = 3


def check_across(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    yield from _duplicate_names(entries)
    yield from _copies(entries, "copied-indicators", _indicator_signature, "绩效指标",
                       lambda p: p.pos.of("indicators"))
    yield from _copies(entries, "copied-goal", lambda p: _long(p.annual_goal), "年度总体目标",
                       lambda p: p.pos.of("annual_goal"))
    yield from _copies(entries, "copied-goal",
                       lambda p: _long(p.overall_goal.text) if p.overall_goal else None, "项目总目标内容",
                       lambda p: p.overall_goal.pos.of("text") if p.overall_goal else p.pos.at)
    yield from _foreign_entities(entries)
    yield from _department_typos(entries)
    yield from _department_folder_typos(entries)


def _where(project: Project) -> str:
    return f"「{project.name}」"


def _duplicate_names(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, int | None, str, str], Entry] = {}
    for spec, p in entries:
        k = (p.department, p.year, p.form.value, p.name)
        if not p.name:
            continue
        if k in seen:
            first = seen[k][0]
            yield rule("duplicate-project-name").at(
                p.pos.of("name"), f"项目名称「{p.name}」与 {first.display} 重复（同一主管部门、年度、表格）")
        else:
            seen[k] = (spec, p)


def _indicator_signature(p: Project) -> Hashable | None:
    rows = []
    for lv in p.indicators:
        for c in lv.children:
            for i in c.indicators:
                name = strip_numbering(i.name)
                if name != PLACEHOLDER:  # is_placeholder, without stripping the name twice
                    rows.append((lv.name, c.name, name, i.target))
    return tuple(rows) if len(rows) >= 2 else None


def _long(text: str) -> str | None:
    text = "".join(text.split())
    return text if len(text) >= MIN_COPIED_GOAL else None


def _copies(entries: Sequence[Entry], rule_id: str, signature: Callable[[Project], Hashable | None],
            what: str, where: Callable[[Project], Location]) -> Iterator[Diagnostic]:
    """Projects of the same year whose ``signature`` is identical but whose names differ."""
    clusters: dict[tuple[int | None, Hashable], list[Entry]] = defaultdict(list)
    for spec, p in entries:
        sig = signature(p)
        if sig is not None:
            clusters[(p.year, sig)].append((spec, p))
    for members in clusters.values():
        names = list(dict.fromkeys(p.name for _, p in members))
        if len(names) < 2:
            continue
        # A message names three others: each project's come from the first four names, so a
        # cluster of k copies costs k, not k² (linear in the workspace).
        for _, p in members:
            others = [n for n in names[:4] if n != p.name][:3]
            listed = "、".join(f"「{n}」" for n in others) + ("等" if len(names) > 4 else "")
            yield rule(rule_id).at(where(p), f"{what}与{listed}完全相同；是否复制后忘了改？")


def _entities(text: str) -> set[str]:
    return {"".join(m) for m in _ENTITY.findall(text)}


def _project_text(p: Project) -> list[tuple[str, Location]]:
    texts = [(p.annual_goal, p.pos.of("annual_goal"))]
    if p.overall_goal is not None:
        texts.append((p.overall_goal.text, p.overall_goal.pos.of("text")))
    for ind in p.all_indicators():
        texts.append((ind.name, ind.pos.of("name")))
    return texts


def _foreign_entities(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    """A project named after one body whose text measures a sibling project's body."""
    by_group: dict[object, list[Entry]] = defaultdict(list)
    for spec, p in entries:
        by_group[spec.group].append((spec, p))
    for members in by_group.values():
        named = {p.name: _entities(p.name) for _, p in members}
        # An entity that is not this project's own and is in any name of the group is in a
        # sibling's name (this project's name does not have it): one set for the group, each
        # text's entities looked up in it, so the check is linear in the group's size.
        everyone: set[str] = set().union(*named.values())
        for _, p in members:
            own = named[p.name]
            if not own:
                continue
            reported: set[str] = set()
            for text, loc in _project_text(p):
                for foreign in sorted(e for e in _entities(text) if e in everyone and e not in own and e not in reported):
                    reported.add(foreign)
                    yield rule("foreign-entity").at(
                        loc, f"{_where(p)}是{'、'.join(sorted(own))}的项目，这里却写了「{foreign}」"
                             "（另一个项目的主体）；是否复制后没改？")


def _one_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _department_typos(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    by_group: dict[object, list[Entry]] = defaultdict(list)
    for spec, p in entries:
        if p.department:
            by_group[spec.group].append((spec, p))
    for members in by_group.values():
        counts = Counter(p.department for _, p in members)
        if len(counts) < 2:
            continue
        # The name a _defaults.yaml gives is the reference, even if most files misspell it.
        declared = [p.department for _, p in members if p.pos.of("department").file.endswith("_defaults.yaml")]
        common = declared[0] if declared else counts.most_common(1)[0][0]
        n = counts[common]
        for _, p in members:
            if p.department != common and _one_apart(p.department, common):
                yield rule("department-name-typo").at(
                    p.pos.of("department"),
                    f"主管部门「{p.department}」与同部门其他 {n} 个项目的「{common}」只差一个字；是否写错？")


def near_names(names: Iterable[str]) -> list[tuple[str, str]]:
    """The pairs of ``names`` one character apart (a character changed, added or dropped),
    each pair sorted, in sorted order; names are compared with those of their length ± 1 only."""
    by_len: dict[int, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        by_len[len(name)].append(name)
    pairs: set[tuple[str, str]] = set()
    for length, group in by_len.items():
        for i, a in enumerate(group):
            pairs.update((a, b) for b in group[i + 1:] if _one_apart(a, b))
            pairs.update((min(a, b), max(a, b)) for b in by_len.get(length + 1, ()) if _one_apart(a, b))
    return sorted(pairs)


def likely_misspelt(counts: Mapping[str, int], ratio: int = TYPO_RATIO) -> dict[str, str]:
    """Each name one character apart from a name with at least ``ratio`` times its count →
    that name (the most common such name; ties by name, so the answer is stable)."""
    best: dict[str, str] = {}
    for a, b in near_names(counts):
        for rare, common in ((a, b), (b, a)):
            if counts[common] >= ratio * counts[rare]:
                known = best.get(rare)
                if known is None or (counts[common], common) > (counts[known], known):
                    best[rare] = common
    return best


def _department_folder_typos(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    """A department of its own made by a misspelt 主管部门: its name one character from a
    department of the same year in another folder that has many times its projects."""
    by_year: dict[int | None, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for spec, p in entries:
        if p.department:
            by_year[p.year][p.department].append((spec, p))
    for departments in by_year.values():
        if len(departments) < 2:
            continue
        intended = likely_misspelt({name: len(members) for name, members in departments.items()})
        for name, common in sorted(intended.items()):
            theirs = {spec.group for spec, _ in departments[common]}
            n, k = len(departments[common]), len(departments[name])
            for spec, p in departments[name]:
                if spec.group in theirs:
                    continue  # one folder holds both names: _department_typos compares them
                yield rule("department-name-typo").at(
                    p.pos.of("department"),
                    f"「{p.name}」的主管部门「{name}」（{k} 个项目）与同年度另一个主管部门目录里 {n} 个项目的"
                    f"「{common}」只差一个字；是否写错？写错的主管部门会自成一个部门（导入时分到另一个目录）")
