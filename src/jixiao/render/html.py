"""The HTML writer: the grid through the Jinja2 page template, CSS inlined."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError

from jixiao import __version__
from jixiao.errors import TemplateError
from jixiao.files import build_date
from jixiao.render.grid import Grid
from jixiao.render.sandbox import not_found, refusal_error, template_env


def source_date() -> str | None:
    """The build date for the page's metadata (see :func:`jixiao.files.build_date`)."""
    date = build_date()
    return date.strftime("%Y-%m-%dT%H:%M:%SZ") if date else None


class HtmlWriter:
    """Renders grids with one template directory's page template and CSS."""

    def __init__(self, template_dir: Path, builtin: bool = False) -> None:
        self.template_dir = template_dir
        # Sandboxed unless they are jixiao's own (``builtin``): a template folder may come from
        # anyone. Every piece of user text is escaped.
        self.env = template_env(template_dir, builtin=builtin, autoescape=True, keep_trailing_newline=True)
        try:
            self.css = (template_dir / "print.css").read_text(encoding="utf-8")
            self.page = self.env.get_template("page.html.j2")
            self.env.get_template("table.html.j2")  # included at render time: compile it now
        except OSError as exc:
            raise TemplateError(f"模板目录 {template_dir} 不完整：缺少 {exc.filename}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"模板目录 {template_dir} 不完整：缺少 {exc.name}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise template_syntax_error(exc) from exc

    def page_html(self, grid: Grid) -> str:
        try:
            return self.page.render(grid=grid, css=self.css, version=__version__, created=source_date())
        except SecurityError as exc:
            raise refusal_error(exc, self.template_dir / "page.html.j2") from exc
        except jinja2.TemplateNotFound as exc:  # an {% include %}
            raise TemplateError(f"模板 {self.template_dir}/page.html.j2 出错：{not_found(exc)}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise template_syntax_error(exc) from exc
        except (jinja2.TemplateError, OverflowError) as exc:  # OverflowError: the sandbox's range() cap
            raise TemplateError(f"模板 {self.template_dir}/page.html.j2 出错：{exc}") from exc


def template_syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateError:
    where = f"{exc.filename or exc.name}:{exc.lineno}"
    return TemplateError(f"模板语法错误 {where}：{exc.message}（Jinja2 的原话）")
