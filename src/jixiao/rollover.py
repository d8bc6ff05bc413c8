"""Next year's specs from this year's: ``jixiao rollover 主管部门/2026 --to 2027``.

Every target or declaration spec of a department's year folder is copied into the
new year's folder (the same unit sub-folders), with the ``_defaults.yaml`` of the
year folder and of the unit folders. Only these values change:

* 年度, where a file writes it, becomes the new year;
* 计划开始日期 / 计划完成日期 move on by the years between, written as before
  (``2026.1.1`` stays in that style; 29 February becomes the 28th in a common year);
* 项目总目标.起止年度 of a one-year project moves on; a multi-year period is kept,
  and flagged when it has ended before the new year;
* with ``amounts="clear"``, every amount of 项目资金 is blanked for the clerk to fill.

Everything else of the clerk's file is kept byte for byte — comments, key order,
quoting, line endings, a byte-order mark: each value is replaced in the source text
at the line and column the YAML reader reports for it (:mod:`jixiao.load.yamlsafe`),
never re-dumped. The edited text is read back and must give the same project with
only those values changed; if it does not, the file is not written.

Self-evaluations are not copied, nothing existing is overwritten, nothing is written
outside the department folder (:func:`jixiao.files.write_atomic`), and symbolic links
are not followed. Nothing here prints: :func:`rollover` returns a :class:`RolloverReport`.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from jixiao.errors import Location, OutputError, SpecLoadError, UsageError
from jixiao.files import write_atomic
from jixiao.load.structure import Builder, Inherited
from jixiao.load.workspace import (
    DEFAULTS_NAME,
    SPEC_SUFFIXES,
    SpecFile,
    display_path,
    inherited_for,
    load_workspace,
)
from jixiao.load.yamlsafe import YMap, YNode, YScalar, parse_yaml, read_spec_text
from jixiao.model.project import (
    AnnualRequest,
    Defaults,
    OverallGoal,
    Project,
    ProjectTotal,
    TargetFunds,
    model_keys,
)
from jixiao.model.values import ValueParseError, parse_date, parse_period, parse_year
from jixiao.model.vocab import FormKind

AMOUNTS = ("keep", "clear")

# -- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One value changed in a file, as written before and after."""

    what: str  # the key, e.g. 计划开始日期 or 项目资金.项目资金总额.合计
    old: str
    new: str  # "" for an amount cleared


@dataclass(frozen=True)
class Rolled:
    """A file of the new year: written (or, in a dry run, to be written), or already there."""

    source: Path
    target: Path
    display: str  # the target as shown
    defaults: bool  # a _defaults.yaml rather than a project
    changes: tuple[Change, ...] = ()
    review: tuple[str, ...] = ()  # what the clerk should look at in this file
    data: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class Skipped:
    """A file of the old year that is not copied, on purpose."""

    path: Path
    display: str
    reason: str


@dataclass(frozen=True)
class Failed:
    """A file that should have been copied but could not be."""

    path: Path
    display: str
    reason: str


@dataclass(frozen=True)
class RolloverReport:
    source: Path  # the old year's folder
    target: Path  # the new year's folder
    from_year: int
    to_year: int
    clear_amounts: bool
    dry_run: bool
    written: tuple[Rolled, ...]  # written; with dry_run, to be written
    existing: tuple[Rolled, ...]  # the target existed and was left alone
    skipped: tuple[Skipped, ...]
    failed: tuple[Failed, ...]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def projects(self) -> int:
        return sum(not r.defaults for r in self.written)

    def reminders(self) -> list[str]:
        """What the clerk must review in every project copied (said once, not per file)."""
        if not any(not r.defaults for r in (*self.written, *self.existing)):
            return []
        old, new = self.from_year, self.to_year
        out = [f"年度总体目标、项目总目标内容、三级指标和年度指标值仍是 {old} 年的文字，请逐项改为 {new} 年的目标。"]
        if self.clear_amounts:
            out.append("项目资金的金额已清空，请按新年度的预算填写；合计是必填项，"
                       "填写前 jixiao check 会把每个空着的合计报为错误（missing-key），其他空格按 0 计。")
        else:
            out.append(f"项目资金仍是 {old} 年的金额，请按 {new} 年的预算修改（或用 --amounts clear 清空后重填）。")
        return out


# -- entry point --------------------------------------------------------------------------------


def rollover(source: str | Path, to_year: int, amounts: str = "keep", dry_run: bool = False) -> RolloverReport:
    """Copy the year folder ``source`` (``主管部门/2026``) to ``主管部门/<to_year>``, as the module says.

    Raises :class:`UsageError` for a folder that is not a year folder, an ``amounts``
    other than keep/clear, or a ``to_year`` not later than the folder's year. Files
    that cannot be copied are reported in :attr:`RolloverReport.failed`; the others
    are written all the same, so a run after the clerk fixes them adds just those.
    """
    folder = Path(source)
    if amounts not in AMOUNTS:
        raise UsageError(f"--amounts 应为 keep（保留金额）或 clear（清空金额），得到「{amounts}」")
    from_year = _source_year(folder)
    try:
        parse_year(str(to_year))
    except ValueParseError:
        raise UsageError(f"--to {to_year} 不是年度（应为 1990–2100 之间的年份，如 {from_year + 1}）") from None
    if to_year <= from_year:
        raise UsageError(f"--to {to_year} 应晚于源目录的年度 {from_year}（如 --to {from_year + 1}）")
    planner = _Planner(folder, to_year, from_year, amounts == "clear")
    planner.walk()
    rolled = planner.rolled
    failed = list(planner.failed)
    written: list[Rolled] = []
    for item in rolled:
        if dry_run:
            written.append(item)
            continue
        try:
            write_atomic(item.target, item.data, planner.root)
        except OutputError as exc:
            failed.append(Failed(item.source, display_path(item.source), f"未能写入：{exc}"))
            continue
        written.append(item)
    return RolloverReport(folder, planner.target, from_year, to_year, amounts == "clear", dry_run,
                          tuple(written), tuple(planner.existing), tuple(planner.skipped),
                          tuple(sorted(failed, key=lambda f: f.display)))


def _source_year(folder: Path) -> int:
    if folder.is_symlink():
        raise UsageError(f"「{folder}」是符号链接；请直接给出年度目录")
    if not folder.exists():
        raise UsageError(f"路径不存在：{folder}")
    if not folder.is_dir():
        raise UsageError(f"「{folder}」不是目录；请给出「主管部门/年度」目录，如 specs/某镇人民政府/2026")
    name = Path(os.path.abspath(folder)).name
    try:
        if re.fullmatch(r"\d{4}", name):
            return parse_year(name)
    except ValueParseError:
        pass
    raise UsageError(f"「{folder}」不是年度目录：请给出「主管部门/年度」目录，如 specs/某镇人民政府/2026")


# -- where a value is written ---------------------------------------------------------------------

# What libyaml counts as a line break (its line numbers are ours): CR LF, CR, LF, NEL, LS, PS.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_QUOTES = ("'", '"')


class _Span(NamedTuple):
    """Where a scalar is written in the text: the whole of it, and its value inside any quotes."""

    start: int
    end: int
    inner_start: int
    inner_end: int


class _Text:
    """A file's text with its line starts, to turn the reader's line/column into an offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def span(self, node: YScalar) -> _Span | None:
        """The scalar's source, if written on one line without escapes; else None.

        The reader keeps the value, not its spelling: the span is trusted only when
        the text at the position spells exactly the value (plain, or inside quotes).
        """
        line, col = node.loc.line, node.loc.col
        value = node.text
        if not 1 <= line <= len(self.starts) or col < 1 or not value or _BREAK.search(value):
            return None
        at = self.starts[line - 1] + col - 1
        if node.plain:
            if self.text.startswith(value, at):
                return _Span(at, at + len(value), at, at + len(value))
            return None
        quote = self.text[at:at + 1]
        if quote in _QUOTES and self.text.startswith(quote + value + quote, at):
            return _Span(at, at + len(value) + 2, at + 1, at + 1 + len(value))
        return None


class _Edit(NamedTuple):
    start: int
    end: int
    new: str


def _apply(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text


def _cleared(text: _Text, span: _Span) -> _Edit:
    """Blank a value: ``合计: 37.01`` → ``合计:``; ``{合计: 4.03, …}`` → ``{合计: , …}``.

    The spaces before the value go too when nothing but spaces follows it on the line.
    """
    start, end = span.start, span.end
    rest = _BREAK.search(text.text, end)
    line_end = rest.start() if rest else len(text.text)
    if not text.text[end:line_end].strip(" \t"):
        while start > 0 and text.text[start - 1] in " \t":
            start -= 1
        end = line_end
    return _Edit(start, end, "")


# -- moving values on ----------------------------------------------------------------------------

_DATE_STYLES = (
    re.compile(r"(?P<y>\d{4})\s*-\s*(?P<m>\d{1,2})\s*-\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*\.\s*(?P<m>\d{1,2})\s*\.\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
)
_FOUR_DIGITS = re.compile(r"\d{4}")


def _digits_like(number: str, like: str) -> str:
    """``number`` (ASCII digits) in the digits ``like`` is written with: ``２０２７`` for ``２０２６``."""
    if like.isascii() or not like:
        return number
    # Digit by digit where the lengths agree (a year stays four digits), else like the first.
    models = like if len(like) == len(number) else like[0] * len(number)
    return "".join(chr(ord(m) - unicodedata.digit(m) + int(d)) for d, m in zip(number, models, strict=True))


def shift_date(day: date, years: int) -> date:
    """``day`` ``years`` later; 29 February becomes the 28th in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # only 29 February can fail
        return day.replace(year=day.year + years, day=28)


def moved_date_text(text: str, years: int) -> tuple[str, date] | None:
    """A date as written, ``years`` later in the same style (``2026.1.1`` → ``2027.1.1``),
    with the date it now says; None when the text is not a date jixiao reads."""
    try:
        old = parse_date(text)
    except ValueParseError:
        return None
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    for style in _DATE_STYLES:
        m = style.fullmatch(stripped)
        if m is None:
            continue
        new = shift_date(old, years)
        parts = [(m.start("y") + lead, m.end("y") + lead, _digits_like(f"{new.year:04d}", m.group("y")))]
        if new.day != old.day:
            day_text = str(new.day).zfill(len(m.group("d")))
            parts.append((m.start("d") + lead, m.end("d") + lead, _digits_like(day_text, m.group("d"))))
        out = text
        for s, e, repl in sorted(parts, reverse=True):
            out = out[:s] + repl + out[e:]
        return (out, new) if parse_date(out) == new else None
    return None  # pragma: no cover - parse_date reads only these styles


def moved_years_text(text: str, years: int) -> str:
    """Every four-digit year in ``text`` ``years`` later (``2026年-2026年`` → ``2027年-2027年``)."""
    return _FOUR_DIGITS.sub(lambda m: _digits_like(str(int(m.group()) + years), m.group()), text)


def _mentions(text: str | None, year: int) -> bool:
    return bool(text) and re.search(rf"(?<!\d){year}(?!\d)", text or "") is not None


# -- planning ------------------------------------------------------------------------------------


def _name(cls: type, attr: str) -> str:
    return next(k.name for a, k in model_keys(cls) if a == attr)


YEAR, START, END = _name(Project, "year"), _name(Project, "start"), _name(Project, "end")
GOAL, PERIOD, FUNDS = _name(Project, "overall_goal"), _name(OverallGoal, "period"), _name(Project, "funds")
PREVIOUS = _name(Project, "previous")
FUND_PARTS = ((_name(TargetFunds, "project"), ProjectTotal), (_name(TargetFunds, "annual"), AnnualRequest))
# Rules of the YAML reader itself: a file with such a problem is not copied.
_PROBLEM = "YAML 有问题，未复制"


class _Unrollable(Exception):
    """This file cannot be rolled over; the message (Chinese) says why."""


class _Planner:
    """Walks the old year's folder and prepares every file of the new one (writes nothing)."""

    def __init__(self, folder: Path, to_year: int, from_year: int, clear: bool) -> None:
        self.folder = folder
        self.root = folder.parent  # the department folder: nothing is written outside it
        self.target = self.root / str(to_year)
        self.to_year, self.from_year = to_year, from_year
        self.years = to_year - from_year
        self.clear = clear
        self.rolled: list[Rolled] = []
        self.existing: list[Rolled] = []
        self.skipped: list[Skipped] = []
        self.failed: list[Failed] = []
        self.loaded: dict[str, SpecFile] = {}
        self.not_projects: dict[str, str] = {}

    # -- the walk ------------------------------------------------------------------------------

    def walk(self) -> None:
        workspace = load_workspace([self.folder])
        self.loaded = {os.path.abspath(s.path): s for s in workspace.specs}
        # Some other tool's YAML (a CI workflow) is skipped by the loader, with why.
        self.not_projects = {s.display: s.reason for s in workspace.skipped}
        defaults: list[Path] = []
        wanted: set[Path] = set()  # folders with a project to copy: their _defaults.yaml go too
        for dirpath, dirnames, filenames in os.walk(self.folder):
            here = Path(dirpath)
            for name in sorted(dirnames):
                if name.startswith(".") or (here / name).is_symlink():
                    if (here / name).is_symlink():
                        self._fail(here / name, "是符号链接，不进入、不复制；请把内容直接放在年度目录里")
                    dirnames.remove(name)
            dirnames.sort()
            for name in sorted(filenames):
                path = here / name
                if name.startswith("."):
                    continue
                if path.is_symlink():
                    self._fail(path, "是符号链接，不复制；请把文件本身放在年度目录里")
                elif name == DEFAULTS_NAME:
                    defaults.append(path)
                elif not name.endswith(SPEC_SUFFIXES):
                    self._skip(path, "不是规格文件（.yaml），不复制")
                elif self._spec(path):
                    wanted.update(path.parents)
        for path in defaults:
            if path.parent in wanted:
                self._defaults(path)
            else:
                self._skip(path, "这个目录里没有要复制的绩效目标表或申报表")
        self.rolled.sort(key=lambda r: r.display)
        self.existing.sort(key=lambda r: r.display)
        self.skipped.sort(key=lambda s: s.display)

    def _skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(path, display_path(path), reason))

    def _fail(self, path: Path, reason: str) -> None:
        self.failed.append(Failed(path, display_path(path), reason))

    def _target_of(self, path: Path) -> Path:
        return self.target / path.relative_to(self.folder)

    def _spec(self, path: Path) -> bool:
        """Plan one spec; True when it is a project of the new year (rolled, existing or failed)."""
        spec = self.loaded.get(os.path.abspath(path))
        not_a_project: str = self.not_projects.get(display_path(path), "")
        if not_a_project:
            self._skip(path, f"{not_a_project}，不复制")
            return False
        if spec is None:  # pragma: no cover - the walks agree; a file added meanwhile
            self._fail(path, "未能读取")
            return True
        if spec.project is None:
            first = spec.diagnostics[0] if spec.diagnostics else None
            self._fail(path, f"无法读取，未复制：{first.format() if first else '文件是空的'}")
            return True
        if spec.project.form in (FormKind.SELF_EVAL, FormKind.MONITOR):
            self._skip(path, f"{spec.project.form.value}，不复制")
            return False
        target = self._target_of(path)
        if target.exists() or target.is_symlink():
            self.existing.append(Rolled(path, target, display_path(target), False))
            return True
        try:
            self.rolled.append(self._roll_spec(spec, target))
        except _Unrollable as exc:
            self._fail(path, str(exc))
        return True

    def _defaults(self, path: Path) -> None:
        target = self._target_of(path)
        if target.exists() or target.is_symlink():
            self.existing.append(Rolled(path, target, display_path(target), True))
            return
        try:
            self.rolled.append(self._roll_defaults(path, target))
        except _Unrollable as exc:
            self._fail(path, str(exc))

    # -- one file ------------------------------------------------------------------------------

    def _read(self, path: Path) -> tuple[bool, _Text, YMap | None]:
        """(byte-order mark?, text, tree) of a file, refusing one the reader has a problem with."""
        display = display_path(path)
        try:
            text = read_spec_text(path, display)
            bom = path.read_bytes().startswith(codecs.BOM_UTF8)
            tree, problems = parse_yaml(text, display)
        except SpecLoadError as exc:
            raise _Unrollable(f"{_PROBLEM}：{exc.diagnostic.format()}") from None
        except OSError as exc:
            raise _Unrollable(f"无法读取：{exc.strerror or exc}") from None
        if problems:
            raise _Unrollable(f"{_PROBLEM}：{'；'.join(d.format() for d in problems)}")
        return bom, _Text(text), tree if isinstance(tree, YMap) else None

    def _roll_spec(self, spec: SpecFile, target: Path) -> Rolled:
        bom, text, tree = self._read(spec.path)
        project = spec.project
        if project is None or tree is None:  # pragma: no cover - it loaded as a project, so a mapping
            raise _Unrollable("无法读取，未复制")
        edits: list[_Edit] = []
        changes: list[Change] = []
        review: list[str] = []

        def edit(node: YNode | None, what: str, move: Callable[[str], str | None], unreadable: str) -> bool:
            """Replace the value of ``node`` by ``move(value)``; False when there was nothing to move."""
            if not isinstance(node, YScalar) or node.is_null:
                return False
            span = text.span(node)
            if span is None:
                raise _Unrollable(f"「{what}」（第 {node.loc.line} 行）写成了多行或带转义，无法在原文中改写，未复制；"
                                  "请把它写成一行后重试")
            old = text.text[span.inner_start:span.inner_end]
            new = move(old)
            if new is None:
                review.append(unreadable.format(old.strip()))
                return False
            edits.append(_Edit(span.inner_start, span.inner_end, new))
            changes.append(Change(what, old.strip(), new.strip()))
            return True

        # 年度
        year_written = tree.get(YEAR)
        year_moved = edit(year_written, YEAR, self._year_text, "年度「{}」无法识别，未改动，请改为 " + str(self.to_year))
        if year_moved and project.year is not None and project.year != self.from_year:
            review.append(f"年度原为 {project.year}，与目录年度 {self.from_year} 不同；已改为 {self.to_year}")
        year_inherited = not isinstance(year_written, YScalar) or year_written.is_null
        rolled_year_inherited = year_inherited and self._year_in_folder(spec.path.parent)
        if year_inherited and not rolled_year_inherited and project.year is not None:
            review.append(f"年度 {project.year} 继承自年度目录以外的 _defaults.yaml，未改动；"
                          f"请在 {display_path(self.target / DEFAULTS_NAME)} 写「年度: {self.to_year}」")
        # 计划开始日期 / 计划完成日期
        moved_dates: dict[str, date] = {}
        for attr, key_name in (("start", START), ("end", END)):
            if edit(tree.get(key_name), key_name, self._date_text,
                    key_name + "「{}」不是可识别的日期，未改动，请手工修改"):
                written: date | None = getattr(project, attr)
                if written is not None:
                    moved_dates[attr] = shift_date(written, self.years)
        # 项目总目标.起止年度
        goal = tree.get(GOAL)
        period_moved = False
        period = project.overall_goal.period if project.overall_goal else None
        if isinstance(goal, YMap) and period is not None:
            first, last = period
            if first == last:
                period_moved = edit(goal.get(PERIOD), f"{GOAL}.{PERIOD}", self._period_text,
                                    PERIOD + "「{}」无法顺延，未改动，请手工修改")
                if first != self.from_year:
                    review.append(f"起止年度 {first}-{last} 与年度 {self.from_year} 不一致，已顺延 {self.years} 年")
            elif last < self.to_year:
                review.append(f"起止年度 {first}-{last} 已结束，请确认项目是否延续")
            else:
                review.append(f"跨年项目（起止年度 {first}-{last}），起止年度未改，项目资金总额与年度资金请核对")
        # 项目资金
        cleared = False
        funds = tree.get(FUNDS)
        if self.clear and isinstance(funds, YMap):
            for part_name, part_cls in FUND_PARTS:
                part = funds.get(part_name)
                if not isinstance(part, YMap):
                    continue
                for _, k in model_keys(part_cls):
                    node = part.get(k.name)
                    if not isinstance(node, YScalar) or node.is_null:
                        continue
                    span = text.span(node)
                    if span is None:
                        raise _Unrollable(f"「{FUNDS}.{part_name}.{k.name}」（第 {node.loc.line} 行）写法特殊，"
                                          "无法在原文中清空，未复制")
                    edits.append(_cleared(text, span))
                    changes.append(Change(f"{FUNDS}.{part_name}.{k.name}", node.text.strip(), ""))
                    cleared = True
        # 上年项目 names this year's project under its old name: next year, its previous
        # project is this one, under the name it has now, so the key is left blank.
        previous = tree.get(PREVIOUS)
        if isinstance(previous, YScalar) and not previous.is_null:
            span = text.span(previous)
            if span is None:
                raise _Unrollable(f"「{PREVIOUS}」（第 {previous.loc.line} 行）写法特殊，无法在原文中清空，未复制")
            edits.append(_cleared(text, span))
            changes.append(Change(PREVIOUS, previous.text.strip(), ""))
        review.extend(self._old_year_texts(project))
        new_text = _apply(text.text, edits)
        expected = self._expected(project, year_moved or rolled_year_inherited, moved_dates, period_moved, cleared)
        self._verify_spec(spec, text.text, new_text, project.form, rolled_year_inherited, expected)
        data = (codecs.BOM_UTF8 if bom else b"") + new_text.encode("utf-8")
        return Rolled(spec.path, target, display_path(target), False, tuple(changes), tuple(review), data)

    def _roll_defaults(self, path: Path, target: Path) -> Rolled:
        bom, text, tree = self._read(path)
        edits: list[_Edit] = []
        changes: list[Change] = []
        review: list[str] = []
        node = tree.get(YEAR) if tree is not None else None
        if isinstance(node, YScalar) and not node.is_null:
            span = text.span(node)
            if span is None:
                raise _Unrollable(f"「{YEAR}」（第 {node.loc.line} 行）写法特殊，无法在原文中改写，未复制")
            old = text.text[span.inner_start:span.inner_end]
            new = self._year_text(old)
            if new is None:
                review.append(f"年度「{old.strip()}」无法识别，未改动，请改为 {self.to_year}")
            else:
                edits.append(_Edit(span.inner_start, span.inner_end, new))
                changes.append(Change(YEAR, old.strip(), new.strip()))
        titles = self._titles(tree, text, edits, changes, review)
        new_text = _apply(text.text, edits)
        before, after = (self._build_defaults(t, path) for t in (text.text, new_text))
        if before is not None:
            expected = replace(before, year=self.to_year) if any(c.what == YEAR for c in changes) else before
            expected = replace(expected,
                               disclosure_title=titles.get("disclosure_title", expected.disclosure_title),
                               accounts_title=titles.get("accounts_title", expected.accounts_title))
            if after != expected:
                raise _Unrollable("改写后读回的内容与原文件不符（jixiao 的缺陷），未复制；请手工复制")
        data = (codecs.BOM_UTF8 if bom else b"") + new_text.encode("utf-8")
        return Rolled(path, target, display_path(target), True, tuple(changes), tuple(review), data)

    def _titles(self, tree: YMap | None, text: _Text, edits: list[_Edit], changes: list[Change],
                review: list[str]) -> dict[str, str]:
        """公开标题 and 决算公开标题 name their year (「…2026年度项目支出绩效目标表」): moved on
        where the year is written once as 「2026年度」, else pointed out for review."""
        moved: dict[str, str] = {}
        for attr in ("disclosure_title", "accounts_title"):
            label = _name(Defaults, attr)
            node = tree.get(label) if tree is not None else None
            if not isinstance(node, YScalar) or node.is_null or not _mentions(node.text, self.from_year):
                continue
            old_word, new_word = f"{self.from_year}年度", f"{self.to_year}年度"
            span = text.span(node)
            old = text.text[span.inner_start:span.inner_end] if span is not None else ""
            if span is None or old.count(old_word) != 1 or old.count(str(self.from_year)) != 1:
                review.append(f"{label}「{node.text}」里的 {self.from_year} 未改，请核对")
                continue
            new = old.replace(old_word, new_word)
            edits.append(_Edit(span.inner_start, span.inner_end, new))
            changes.append(Change(label, old, new))
            moved[attr] = node.text.replace(old_word, new_word)
        return moved

    # -- values --------------------------------------------------------------------------------

    def _year_text(self, text: str) -> str | None:
        try:
            parse_year(text)
        except ValueParseError:
            return None
        new = _FOUR_DIGITS.sub(lambda m: _digits_like(str(self.to_year), m.group()), text, count=1)
        return new if parse_year(new) == self.to_year else None

    def _date_text(self, text: str) -> str | None:
        moved = moved_date_text(text, self.years)
        return moved[0] if moved else None

    def _period_text(self, text: str) -> str | None:
        try:
            first, last = parse_period(text)
        except ValueParseError:  # pragma: no cover - the model read it
            return None
        new = moved_years_text(text, self.years)
        return new if parse_period(new) == (first + self.years, last + self.years) else None

    def _year_in_folder(self, folder: Path) -> bool:
        """Whether a ``_defaults.yaml`` in the year folder (at or above ``folder``) writes 年度."""
        for p in (folder, *folder.parents):
            node = self._defaults_year(p / DEFAULTS_NAME)
            if node:
                return True
            if os.path.abspath(p) == os.path.abspath(self.folder):
                return False
        return False  # pragma: no cover - specs are below the year folder

    def _defaults_year(self, path: Path) -> bool:
        if not path.is_file():
            return False
        try:
            tree, _ = parse_yaml(read_spec_text(path, display_path(path)), display_path(path))
        except SpecLoadError:
            return False
        node = tree.get(YEAR) if isinstance(tree, YMap) else None
        return isinstance(node, YScalar) and not node.is_null

    def _old_year_texts(self, project: Project) -> list[str]:
        """The texts that name the old year: the clerk will want to look at them."""
        old = self.from_year
        out = []
        goal_text = project.overall_goal.text if project.overall_goal else ""
        for label, text in ((_name(Project, "name"), project.name), (_name(Project, "annual_goal"), project.annual_goal),
                            (f"{GOAL}.内容", goal_text), (_name(Project, "remarks"), project.remarks)):
            if _mentions(text, old):
                out.append(f"{label}提到 {old}")
        named = [i.name for i in project.all_indicators() if _mentions(i.name, old) or _mentions(i.target, old)]
        if named:
            out.append(f"{len(named)} 个三级指标的名称或指标值提到 {old}（{'、'.join(named)}）")
        return out

    # -- reading back --------------------------------------------------------------------------

    def _expected(self, project: Project, year: bool, dates: Mapping[str, date], period: bool,
                  cleared: bool) -> Project:
        """The project as the rolled file should read: the original with the moved values."""
        changes: dict[str, Any] = dict(dates)
        changes["previous"] = None
        if year:
            changes["year"] = self.to_year
        goal = project.overall_goal
        if period and goal is not None and goal.period is not None:
            changes["overall_goal"] = replace(goal, period=(goal.period[0] + self.years, goal.period[1] + self.years))
        funds = project.funds
        if cleared and isinstance(funds, TargetFunds):
            changes["funds"] = replace(
                funds,
                project=ProjectTotal() if funds.project is not None else None,
                annual=AnnualRequest() if funds.annual is not None else None)
        return replace(project, **changes)

    def _verify_spec(self, spec: SpecFile, old_text: str, new_text: str, form: FormKind, year_rolled: bool,
                     expected: Project) -> None:
        """Read the rolled text back: it must give ``expected`` (compared with the old text read the same way)."""
        inherited: dict[str, Inherited] = {
            attr: Inherited(value, Location(DEFAULTS_NAME))
            for attr, value in inherited_for(spec.path).items() if attr != "date_style"}
        before = _build_project(old_text, spec.display, form, inherited)
        if year_rolled and "year" in inherited:
            inherited["year"] = Inherited(self.to_year, inherited["year"].loc)
        after = _build_project(new_text, spec.display, form, inherited)
        # The loader's model (and the one built here from the same text) must agree, or the
        # comparison would prove nothing.
        if before != spec.project or after != expected:
            raise _Unrollable("改写后读回的项目与原项目不符（jixiao 的缺陷），未复制；请手工复制")

    def _build_defaults(self, text: str, path: Path) -> Defaults | None:
        display = display_path(path)
        try:
            tree, problems = parse_yaml(text, display)
        except SpecLoadError as exc:
            raise _Unrollable(f"改写后无法读回：{exc.diagnostic.format()}") from None
        if problems:
            raise _Unrollable(f"改写后无法读回：{problems[0].format()}")
        if tree is None:
            return None
        return Builder().build(Defaults, tree, "")


def _build_project(text: str, display: str, form: FormKind, inherited: Mapping[str, Inherited]) -> Project | None:
    try:
        tree, problems = parse_yaml(text, display)
    except SpecLoadError as exc:
        raise _Unrollable(f"改写后无法读回：{exc.diagnostic.format()}") from None
    if problems or tree is None:
        raise _Unrollable(f"改写后无法读回：{problems[0].format() if problems else '文件是空的'}")
    project = Builder(form).build(Project, tree, "", inherited)
    if project is not None and project.form is not form:
        project = replace(project, form=form)  # as the loader does
    return project
