"""The Jinja2 sandbox every template runs in.

A template folder (``--template``) or a Word shell is something a user may have
been handed, so a template must not be able to run Python. Every template —
the HTML page and table, the disclosure document, the Word shells through
docxtpl — is rendered in an :class:`ImmutableSandboxedEnvironment` made here:
it refuses attributes that lead to Python's internals (``__class__``,
``__globals__`` …), unsafe callables, and methods that change lists or dicts
in place (the built-in templates change nothing). Templates are loaded only
from their own folder: Jinja2 already refuses ``..`` and reads ``/x`` as
``x`` inside the folder; :class:`FolderLoader` also refuses a symbolic link
that leads out of it.

jixiao's own templates (the folder inside the installed package) are trusted like
jixiao's code, and are rendered by :func:`template_env` in a plain environment with the
same options: the sandbox guards against a template's code, never against the data
(which is escaped either way), and its check of every attribute and call is a third of
the time it takes to make a department's parts. A copy of them in a folder of the
user's is sandboxed like any other.

What the sandbox refuses is raised at render time as
:class:`jinja2.exceptions.SecurityError`; :func:`refusal` turns it into a
located ``template-unsafe`` diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jixiao.errors import Diagnostic, Location, TemplateError
from jixiao.rules import rule


class FolderLoader(jinja2.FileSystemLoader):
    """Templates from one folder only: a symbolic link leading out of it is not followed."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.root = folder.resolve()

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def template_env(folder: Path, *, builtin: bool, autoescape: bool = True,
                 keep_trailing_newline: bool = False) -> jinja2.Environment:
    """The environment templates of ``folder`` are rendered in: the sandbox
    (:func:`sandboxed_env`), or, for jixiao's own templates (``builtin``), a plain one with
    the same options."""
    if not builtin:
        return sandboxed_env(folder, autoescape=autoescape, keep_trailing_newline=keep_trailing_newline)
    return jinja2.Environment(
        loader=FolderLoader(folder),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
    )


def sandboxed_env(folder: Path | None = None, *, autoescape: bool = True,
                  keep_trailing_newline: bool = False) -> ImmutableSandboxedEnvironment:
    """The one way jixiao makes a Jinja2 environment: sandboxed, strict about undefined names,
    loading (when ``folder`` is given) only from that folder."""
    return ImmutableSandboxedEnvironment(
        loader=FolderLoader(folder) if folder is not None else None,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
    )


def not_found(exc: jinja2.TemplateNotFound) -> str:
    return (f"找不到模板「{exc.name}」，或它不在模板目录里：只能引入同一模板目录里（含子目录）的模板，"
            "指向目录以外的链接不读取")


_ATTRIBUTE = re.compile(r"access to attribute '(.+?)' of '(.+?)' object is unsafe")


def _what(exc: SecurityError) -> str:
    found = _ATTRIBUTE.search(str(exc))
    if found:
        return f"访问 {found[2]} 对象的 {found[1]}"
    return "这个操作"


def template_line(exc: BaseException, fallback: Path) -> Location:
    """The innermost template line in ``exc``'s traceback (Jinja2 rewrites it to show
    template frames, marked by ``__jinja_exception__``); ``fallback`` if there is none."""
    found = Location(str(fallback))
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if "__jinja_exception__" in frame.f_globals and frame.f_code.co_filename != "<template>":
            found = Location(frame.f_code.co_filename, tb.tb_lineno, 1)
        tb = tb.tb_next
    return found


def refusal(exc: SecurityError, fallback: Path, lines: bool = True) -> Diagnostic:
    """What the sandbox refused, at the template line that asked for it (``lines``: the
    template is a file whose lines mean something to the user; not so a Word shell's XML)."""
    return rule("template-unsafe").at(
        template_line(exc, fallback) if lines else Location(str(fallback)),
        f"模板不允许{_what(exc)}，已拒绝：模板只能使用 jixiao 提供的变量、过滤器、循环和同一目录里的模板，"
        f"不能访问 Python 的内部属性或改动数据（Jinja2 沙箱的原话：{exc}）")


def refusal_error(exc: SecurityError, fallback: Path, lines: bool = True) -> TemplateError:
    """The render-time error for a refused template, naming the file."""
    diagnostic = refusal(exc, fallback, lines)
    return TemplateError(f"模板 {diagnostic.location.file} 试图做模板不允许的事，已拒绝（见 docs/templates.md）",
                         [diagnostic])


def internal_attributes(tree: nodes.Template) -> list[tuple[int, str]]:
    """(line, name) of every ``x.name`` and ``x["name"]`` whose name starts with ``_``: the
    sandbox refuses them all (``__class__``, ``__globals__`` …), on any branch the data takes."""
    found = {(node.lineno, node.attr) for node in tree.find_all(nodes.Getattr)}
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            found.add((node.lineno, node.arg.value))
    return sorted((line, name) for line, name in found if name.startswith("_"))
