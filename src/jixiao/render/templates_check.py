"""``jixiao templates check DIR``: is a (customised) template directory usable?

Everything that rendering would trip over later is found here first, with the
file it is in: missing parts, Jinja2 syntax errors, broken variant files, Word
shells without the table placeholder or using variables jixiao does not supply.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

from jixiao.errors import Diagnostic, Location
from jixiao.load.structure import suggest
from jixiao.render.docx_shell import CONTEXT_VARIABLES, TABLE_PLACEHOLDER
from jixiao.render.fonts import installed_fonts
from jixiao.render.variant import TemplateError, load_variant
from jixiao.rules import rule

HTML_PARTS = ("page.html.j2", "table.html.j2", "print.css")


def check_template_dir(template_dir: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for name in HTML_PARTS:
        path = template_dir / name
        if not path.is_file():
            found.append(rule("template-missing-part").at(Location(str(path)), f"缺少 {name}"))
        elif name.endswith(".j2"):
            found.extend(_jinja_syntax(path))
    css = template_dir / "print.css"
    if css.is_file() and not installed_fonts(css.read_text(encoding="utf-8")):
        found.append(rule("template-font").at(Location(str(css)), "font-family 中的字体一个也没有安装；PDF 无法生成"))
    variants = sorted(p for p in (template_dir / "variants").glob("*") if p.is_dir())
    if not variants:
        found.append(rule("template-missing-part").at(Location(str(template_dir / "variants")),
                                                      "没有任何表样（variants/<名称>/variant.yaml）"))
    for folder in variants:
        found.extend(_check_variant(template_dir, folder))
    return found


def _jinja_syntax(path: Path) -> list[Diagnostic]:
    try:
        jinja2.Environment().parse(path.read_text(encoding="utf-8"))
    except jinja2.TemplateSyntaxError as exc:
        return [rule("template-syntax").at(Location(str(path), exc.lineno or 0, 1), f"Jinja2 语法错误：{exc.message}")]
    return []


def _check_variant(template_dir: Path, folder: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    try:
        load_variant(template_dir, folder.name)
    except TemplateError as exc:
        found.extend(exc.diagnostics or [rule("template-missing-part").at(Location(str(folder)), str(exc))])
    shell = folder / "shell.docx"
    where = Location(str(shell))
    if not shell.is_file():
        return [*found, rule("template-missing-part").at(where, "缺少 Word 外壳 shell.docx（生成 DOCX 需要）")]
    try:
        with zipfile.ZipFile(shell) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
        names = DocxTemplate(str(shell)).get_undeclared_template_variables()
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        return [*found, rule("template-syntax").at(where, f"不是可用的 Word 文档：{exc}")]
    except jinja2.TemplateSyntaxError as exc:
        return [*found, rule("template-syntax").at(where, f"占位符语法错误：{exc.message}")]
    if TABLE_PLACEHOLDER not in body:
        found.append(rule("template-missing-part").at(
            where, f"Word 外壳里没有表格占位符 {TABLE_PLACEHOLDER}（须单独成段，原样输入，不要分开设置格式）"))
    for name in sorted(set(names) - set(CONTEXT_VARIABLES)):
        found.append(rule("template-variable").at(
            where, f"Word 外壳使用了变量「{name}」，jixiao 不提供{suggest(name, list(CONTEXT_VARIABLES))}"
                   f"（可用：{'、'.join(CONTEXT_VARIABLES)}）"))
    return found
