"""Form variants: how one kind of table is printed, read from ``templates/``.

A template directory holds ``variants/<名称>/variant.yaml`` (labels, column
widths, date and amount styles, which header layout) next to the Jinja2 page
template and print CSS. A district whose printed form differs slightly copies
a variant folder, edits the YAML, and points ``jixiao render --template`` at
its own directory; no Python changes.
"""

from __future__ import annotations

import enum
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jixiao.errors import SpecLoadError, TemplateError, UsageError
from jixiao.load.structure import Builder
from jixiao.load.yamlsafe import parse_yaml, read_spec_text
from jixiao.model.names import is_plain_name
from jixiao.model.project import DATE_STYLES, INDICATOR_DETAILS, Kind, Pos, key, pos_field
from jixiao.model.vocab import FormKind
from jixiao.rules import rule

# Inside the package, so an installed jixiao (a wheel, pipx) has them; copy them out with
# `jixiao templates copy` to make a variant of your own.
BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SECTIONS = ("表头", "资金", "目标", "指标")
LABELS = ("指标值", "年度目标")


class HeaderStyle(enum.Enum):
    CHECKBOXES = "勾选项目类别"  # A: 专项资金 ☐ 经常性项目 ☑ 一次性项目 ☐
    NATURE_AND_CATEGORY = "性质与类别"  # B: 项目性质 | … | 项目类别 | …
    NATURE_AS_CATEGORY = "性质印作类别"  # C: the 项目性质 value under the label 项目类别
    SELF_EVAL = "自评"  # D
    MONITOR = "监控"  # M: the mid-year monitoring form

    @property
    def form_family(self) -> FormKind:
        """The kind of form this header prints (a planning header serves both planning forms)."""
        if self is HeaderStyle.SELF_EVAL:
            return FormKind.SELF_EVAL
        return FormKind.MONITOR if self is HeaderStyle.MONITOR else FormKind.TARGET


class AmountStyle(enum.Enum):
    AS_WRITTEN = "原样"  # the decimals the author wrote: 20.00, 93.64992
    GROUPED = "千分位"  # thousands separators, the decimals the author wrote: 5,254,900; 12,814,895.16
    GROUPED_CENTS = "千分位两位小数"  # separators and at least two decimals: 12,690,000.00


@dataclass(frozen=True, kw_only=True)
class Variant:
    name: str = key("名称", "表样说明", default="", required=True)
    form: FormKind = key("表格", "这个表样印哪种表格", default=FormKind.TARGET, kind=Kind.ENUM, enum=FormKind,
                         required=True)
    title: str = key("标题", "表格标题，如「财政项目支出绩效目标表」", default="", required=True)
    year_line: str = key("年度行", "标题下的年度行，{年度} 处填年度", default="（{年度}年度）")
    header: HeaderStyle = key("表头样式", "勾选项目类别 / 性质与类别 / 性质印作类别 / 自评 / 监控",
                              default=HeaderStyle.CHECKBOXES, kind=Kind.ENUM, enum=HeaderStyle, required=True)
    amounts: AmountStyle = key("金额格式", "原样 / 千分位 / 千分位两位小数", default=AmountStyle.AS_WRITTEN, kind=Kind.ENUM,
                               enum=AmountStyle)
    date_style: str = key("日期格式", "日期打印样式（工作区的日期格式优先）", default="2026.1.1",
                          kind=Kind.CHOICE, choices=DATE_STYLES)
    font_pt: Decimal = key("字号", "表格文字的字号（磅），默认 10.5；列多的自评表用 9", default=Decimal("10.5"),
                           kind=Kind.SCORE)
    numbering: bool = key("指标编号", "三级指标前印「指标1：」", default=False, kind=Kind.BOOL)
    labels: Mapping[str, str] = key("标签", "栏目名：指标值、年度目标", default=None, kind=Kind.TEXT_MAP,
                                    choices=LABELS)
    details: Mapping[str, str] = key("指标明细栏", "年度指标值之后加印的栏：三级指标的明细键 → 印出的栏名，"
                                    "如「评分标准: 评（扣）分标准」；按写的顺序印", default=None,
                                    kind=Kind.TEXT_MAP, choices=INDICATOR_DETAILS)
    widths: Mapping[str, tuple[float, ...]] = key("栏宽", "各部分的栏宽（相对值）：表头、资金、目标、指标",
                                                 default=None, kind=Kind.WIDTHS, choices=SECTIONS,
                                                 required=True)
    pos: Pos = pos_field()

    def label(self, name: str, default: str) -> str:
        return (self.labels or {}).get(name, default)


def load_variant(template_dir: Path, name: str) -> Variant:
    # 表样 comes from a spec, which is not trusted: only a folder directly under variants/.
    # (check reports such a name; this holds with --force and for library callers too.)
    if not is_plain_name(name):
        raise TemplateError(f"表样「{name}」不是模板目录 variants/ 下的一个文件夹名，不使用")
    path = template_dir / "variants" / name / "variant.yaml"
    if not path.is_file():
        known = sorted(p.name for p in (template_dir / "variants").glob("*") if p.is_dir())
        raise TemplateError(f"表样「{name}」不存在：找不到 {path}（现有表样：{'、'.join(known) or '无'}）")
    display = str(path)
    try:
        tree, problems = parse_yaml(read_spec_text(path, display), display)
    except SpecLoadError as exc:
        raise TemplateError(f"表样「{name}」无法读取", [exc.diagnostic]) from exc
    builder = Builder()
    variant = builder.build(Variant, tree, "") if tree is not None else None
    problems = [*problems, *builder.diagnostics]
    if variant is None or problems:
        raise TemplateError(f"表样「{name}」有错误", problems)
    missing = [s for s in SECTIONS if s not in (variant.widths or {})]
    if missing:
        raise TemplateError(f"表样「{name}」缺少栏宽：{'、'.join(missing)}（{path}）")
    from jixiao.render.layout import column_counts  # the layout builds on this module's Variant

    extra = len(variant.details or {})
    kind = variant.header.value + (f"、另印 {extra} 栏指标明细" if extra else "")
    wrong = [rule("invalid-value").at(variant.pos.of("widths"),
                                      f"「栏宽.{section}」有 {len(widths)} 栏，{kind}的表样要 {need} 栏")
             for section, need in column_counts(variant.header, extra).items()
             if len(widths := variant.widths[section]) != need]
    if wrong:
        raise TemplateError(f"表样「{name}」的栏宽与表格的栏数不符", wrong)
    return variant


def copy_builtin_templates(dest: Path) -> None:
    """The built-in template folder copied to ``dest``, a new folder: the start of one's own variant."""
    if dest.exists():
        raise UsageError(f"{dest} 已经存在；请给一个新的目录名")
    try:
        shutil.copytree(BUILTIN_TEMPLATES, dest, ignore=shutil.ignore_patterns("__pycache__"))
    except OSError as exc:
        raise UsageError(f"无法复制到 {dest}：{exc.strerror or exc}") from exc
