"""``jixiao templates check DIR``: is a (customised) template directory usable?

Everything that rendering would trip over later is found here first, with the
file it is in: missing parts, Jinja2 syntax errors, broken variant files, Word
shells without the table placeholder or using variables jixiao does not supply,
and whatever the template sandbox (``render/sandbox.py``) would refuse. The
sandbox acts at render time, so besides reading the templates for attributes it
always refuses, the check renders the page and every variant's Word shell with a
small sample project of the variant's form, in the same sandbox as ``render``.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.exceptions import SecurityError

from jixiao.errors import Diagnostic, Location, TemplateError
from jixiao.load.structure import Builder, suggest
from jixiao.load.yamlsafe import parse_yaml
from jixiao.model.project import Project
from jixiao.model.settings import Settings
from jixiao.model.vocab import FormKind
from jixiao.render.docx import render_docx
from jixiao.render.docx_shell import CONTEXT_VARIABLES, TABLE_PLACEHOLDER
from jixiao.render.fonts import installed_fonts
from jixiao.render.html import HtmlWriter
from jixiao.render.layout import build_grid
from jixiao.render.sandbox import internal_attributes, not_found, template_line
from jixiao.render.variant import load_variant
from jixiao.rules import rule

HTML_PARTS = ("page.html.j2", "table.html.j2", "print.css")
# The rule that starts a page where the layout breaks the form (render/paginate.py).
_PAGE_BREAK = re.compile(r"\.newpage[^{}]*\{[^}]*(?:break-before\s*:\s*page|page-break-before\s*:\s*always)")

# The sample projects the templates are tried with: every part of the table filled.
_PLANNING_SAMPLE = """\
表格: {form}
年度: 2026
项目名称: 示例项目
主管部门: 示例主管部门
实施单位: 示例实施单位
项目类别: {category}
{nature}计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  单位: 万元
  项目资金总额:
    合计: 9
    财政资金: 9
    其他资金: 0
  年度资金申请总额:
    合计: 9
    当年财政拨款: 9
    上年结转资金: 0
    其他资金: 0
项目总目标:
  起止年度: 2025-2026
  内容: 示例总目标
年度总体目标: 示例年度目标
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 示例数量
        年度指标值: 3组
    质量指标:
      - 三级指标: 示例合格率
        年度指标值: 100%
  效益指标:
    社会效益指标:
      - 三级指标: 示例效益
        年度指标值: 提升
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 示例满意度
        年度指标值: ≥90%
"""
_SELF_EVAL_SAMPLE = """\
表格: 绩效自评表
年度: 2026
项目名称: 示例项目
主管部门: 示例主管部门
实施单位: 示例实施单位
项目资金:
  单位: 万元
  年度资金总额:
    年初预算数: 3.50
    全年预算数: 3.50
    全年执行数: 3.50
  当年财政拨款:
    年初预算数: 3.50
    全年预算数: 3.50
    全年执行数: 3.50
  上年结转资金:
    年初预算数:
    全年预算数:
    全年执行数:
  其他资金:
    年初预算数:
    全年预算数:
    全年执行数:
  分值: 10
  执行率: 100.00%
  得分: 10
预期目标: 示例预期目标
实际完成情况: 示例完成情况
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 示例数量
        年度指标值: 100%
        实际完成值: 100%
        分值: 50
        得分: 50
        偏差原因分析及改进措施:
  效益指标:
    社会效益指标:
      - 三级指标: 示例效益
        年度指标值: 完成
        实际完成值: 完成
        分值: 30
        得分: 30
        偏差原因分析及改进措施:
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 示例满意度
        年度指标值: ≥90%
        实际完成值: 95%
        分值: 10
        得分: 10
        偏差原因分析及改进措施:
总分: 100
"""

_MONITOR_SAMPLE = """\
表格: 绩效运行监控表
年度: 2026
项目名称: 示例项目
项目类别: 经常性项目
主管部门: 示例主管部门
实施单位: 示例实施单位
监控截止: 2026-07-31
项目资金:
  单位: 万元
  年度资金总额:
    年初预算数: 12
    调整后预算数: 12
    执行数: 7
    执行率: 58.3%
    全年预计执行数: 12
  财政资金:
    年初预算数: 12
    调整后预算数: 12
    执行数: 7
    全年预计执行数: 12
  其他资金:
    年初预算数:
    调整后预算数:
    执行数:
    全年预计执行数:
  原因说明:
年度总体目标: 示例年度目标
目标执行情况: 示例执行情况
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 示例数量
        年度指标值: 12次
        实际完成值: 7次
        全年预计完成值: 12次
        完成目标可能性: 确定能
        偏差原因:
        原因说明及纠偏措施:
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 示例满意度
        年度指标值: ≥90%
        实际完成值: 92%
        全年预计完成值: ≥90%
        完成目标可能性: 确定能
        偏差原因:
        原因说明及纠偏措施:
"""


def sample_project(form: FormKind) -> tuple[Project, list[Diagnostic]]:
    """A small complete project of ``form`` (and what the loader said about it: nothing)."""
    if form is FormKind.SELF_EVAL:
        text = _SELF_EVAL_SAMPLE
    elif form is FormKind.MONITOR:
        text = _MONITOR_SAMPLE
    elif form is FormKind.DECLARATION:
        text = _PLANNING_SAMPLE.format(form=form.value, category="运转类项目", nature="项目性质: 经常性项目\n")
    else:
        text = _PLANNING_SAMPLE.format(form=form.value, category="一次性项目", nature="")
    tree, problems = parse_yaml(text, "示例项目")
    builder = Builder(form)
    project = builder.build(Project, tree, "") if tree is not None else None
    assert project is not None, problems
    return project, [*problems, *builder.diagnostics]


def check_template_dir(template_dir: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    html_usable = True
    for name in HTML_PARTS:
        path = template_dir / name
        if not path.is_file():
            found.append(rule("template-missing-part").at(Location(str(path)), f"缺少 {name}"))
            html_usable = False
    for path in sorted(template_dir.glob("*.j2")):  # the page, the table, the disclosure document
        problems = _jinja_source(path)
        html_usable = html_usable and not (path.name in HTML_PARTS
                                           and any(d.rule == "template-syntax" for d in problems))
        found.extend(problems)
    css = template_dir / "print.css"
    if css.is_file():
        style = css.read_text(encoding="utf-8")
        if not installed_fonts(style):
            found.append(rule("template-font").at(Location(str(css)), "font-family 中的字体一个也没有安装；PDF 无法生成"))
        if not _PAGE_BREAK.search(style):
            found.append(rule("template-page-break").at(
                Location(str(css)), "没有 `table.grid.newpage { break-before: page; }`：长表不会在 jixiao 排定的行换页"))
    writer = None
    if html_usable:
        try:
            writer = HtmlWriter(template_dir)
        except TemplateError as exc:
            found.extend(exc.diagnostics or [rule("template-missing-part").at(Location(str(template_dir)), str(exc))])
    variants = sorted(p for p in (template_dir / "variants").glob("*") if p.is_dir())
    if not variants:
        found.append(rule("template-missing-part").at(Location(str(template_dir / "variants")),
                                                      "没有任何表样（variants/<名称>/variant.yaml）"))
    for folder in variants:
        found.extend(_check_variant(template_dir, folder, writer))
    return _once(found)


def _once(found: list[Diagnostic]) -> list[Diagnostic]:
    """Each finding once: the page is tried with every variant, and what the sandbox refuses
    at a place already reported (read from the template, or tried before) is not repeated."""
    out: list[Diagnostic] = []
    refused: set[tuple[str, int]] = set()
    for d in found:
        place = (os.path.normpath(d.location.file), d.location.line)
        if d in out or (d.rule == "template-unsafe" and place in refused):
            continue
        if d.rule == "template-unsafe":
            refused.add(place)
        out.append(d)
    return out


def _jinja_source(path: Path) -> list[Diagnostic]:
    """Syntax errors, else the attributes the sandbox always refuses, by line."""
    try:
        tree = jinja2.Environment().parse(path.read_text(encoding="utf-8"))
    except jinja2.TemplateSyntaxError as exc:
        return [rule("template-syntax").at(Location(str(path), exc.lineno or 0, 1), f"Jinja2 语法错误：{exc.message}")]
    lines: dict[int, list[str]] = {}
    for line, name in internal_attributes(tree):
        lines.setdefault(line, []).append(name)
    return [_internal(Location(str(path), line, 1), names) for line, names in lines.items()]


def _internal(where: Location, names: list[str]) -> Diagnostic:
    return rule("template-unsafe").at(
        where, f"模板访问 {'、'.join(names)}：以下划线开头的属性通向 Python 内部，模板沙箱一律拒绝，生成时会出错")


class _Reader(jinja2.Environment):
    """Parses only, keeping the trees: docxtpl assembles a shell's template text itself."""

    def __init__(self) -> None:
        super().__init__()
        self.trees: list[nodes.Template] = []

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> nodes.Template:
        tree = super().parse(source, name, filename)
        self.trees.append(tree)
        return tree


def _check_variant(template_dir: Path, folder: Path, writer: HtmlWriter | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    try:
        variant = load_variant(template_dir, folder.name)
    except TemplateError as exc:
        variant = None
        found.extend(exc.diagnostics or [rule("template-missing-part").at(Location(str(folder)), str(exc))])
    sample = None
    if variant is not None:
        project, _ = sample_project(variant.form)
        grid = build_grid(project, variant, Settings(), folder.name)
        sample = project, grid
        if writer is not None:
            page = writer.template_dir / "page.html.j2"
            found.extend(_tried(lambda: writer.page_html(grid), lambda exc: template_line(exc, page)))
    shell = folder / "shell.docx"
    where = Location(str(shell))
    if not shell.is_file():
        return [*found, rule("template-missing-part").at(where, "缺少 Word 外壳 shell.docx（生成 DOCX 需要）")]
    reader = _Reader()
    try:
        with zipfile.ZipFile(shell) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
        names = DocxTemplate(str(shell)).get_undeclared_template_variables(jinja_env=reader)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        return [*found, rule("template-syntax").at(where, f"不是可用的 Word 文档：{exc}")]
    except jinja2.TemplateSyntaxError as exc:
        return [*found, rule("template-syntax").at(where, f"占位符语法错误：{exc.message}")]
    shell_problems: list[Diagnostic] = []
    if TABLE_PLACEHOLDER not in body:
        shell_problems.append(rule("template-missing-part").at(
            where, f"Word 外壳里没有表格占位符 {TABLE_PLACEHOLDER}（须单独成段，原样输入，不要分开设置格式）"))
    for name in sorted(set(names) - set(CONTEXT_VARIABLES)):
        shell_problems.append(rule("template-variable").at(
            where, f"Word 外壳使用了变量「{name}」，jixiao 不提供{suggest(name, list(CONTEXT_VARIABLES))}"
                   f"（可用：{'、'.join(CONTEXT_VARIABLES)}）"))
    internal = sorted({name for tree in reader.trees for _, name in internal_attributes(tree)})
    if internal:
        shell_problems.append(_internal(where, internal))
    if not shell_problems and sample is not None:
        found.extend(_tried(lambda: render_docx(replace(sample[1], variant=folder.name), template_dir), lambda _: where))
    return [*found, *shell_problems]


def _tried(render: Callable[[], Any], located: Callable[[BaseException], Location]) -> list[Diagnostic]:
    """Render with the sample project: what the sandbox refuses, or any other failure."""
    try:
        render()
    except TemplateError as exc:
        if isinstance(exc.__cause__, SecurityError):
            return exc.diagnostics
        cause = exc.__cause__ or exc
        what = not_found(cause) if isinstance(cause, jinja2.TemplateNotFound) else str(cause)
        return [rule("template-syntax").at(located(cause), f"用示例项目试生成时出错：{what}")]
    return []
