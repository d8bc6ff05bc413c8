"""Templates cannot run code: the HTML pages, the disclosure document and the Word shells
of a template folder are rendered in Jinja2's sandbox, and ``jixiao templates check``
reports what it refuses. jixiao's own templates are rendered outside it, to the same bytes.

Every payload here would create a proof file if it ran (the first test shows that it does
outside the sandbox); each test checks that the file never appears.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import jinja2
import pytest

from conftest import run_cli
from jixiao.model.vocab import FormKind
from jixiao.render import Renderer
from jixiao.render.sandbox import sandboxed_env
from jixiao.render.templates_check import check_template_dir, sample_project
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import files_under

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
ANBAO = SPECS / "闵行区浦江镇人民政府" / "2026" / "闵行区浦江镇平安建设办公室" / "安保经费.yaml"  # 表样 A
SONGNAN = SPECS / "淞南镇主管单位"  # one small department: 4 self-evaluations


def payload(proof: Path) -> str:
    return f'cycler.__init__.__globals__.os.system("touch {proof}")'


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A copy of the built-in templates to plant things in."""
    folder = tmp_path / "mine"
    shutil.copytree(BUILTIN_TEMPLATES, folder)
    return folder


def plant_in_page(folder: Path, statement: str, name: str = "page.html.j2", after: str = "<body>\n") -> int:
    """Put ``statement`` on a line of its own after ``after``; returns its line number."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(after) == 1
    head, tail = text.split(after)
    path.write_text(f"{head}{after}{statement}\n{tail}", encoding="utf-8")
    return (head + after).count("\n") + 1


def rewrite_part(shell: Path, part: str, change: str, to: str) -> None:
    with zipfile.ZipFile(shell) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = parts[part].decode("utf-8")
    assert xml.count(change) == 1, (part, change)
    parts[part] = xml.replace(change, to).encode("utf-8")
    with zipfile.ZipFile(shell, "w") as dst:
        for name, blob in parts.items():
            dst.writestr(name, blob)


def plant_in_shell(folder: Path, variant: str, text: str) -> Path:
    """A new paragraph holding ``text`` in the body of the variant's Word shell."""
    shell = folder / "variants" / variant / "shell.docx"
    rewrite_part(shell, "word/document.xml", "<w:sectPr", f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:sectPr")
    return shell


def written(out: Path) -> list[Path]:
    """The output files under ``out`` (not the build cache)."""
    return [out / p for p in files_under(out)]


def test_the_payload_runs_outside_the_sandbox(tmp_path: Path) -> None:
    """The payload is real: an ordinary Jinja2 environment (what rendering used) runs it."""
    proof = tmp_path / "PROOF"
    jinja2.Environment().from_string(f"{{% set _ = {payload(proof)} %}}").render()
    assert proof.exists()


# -- render ---------------------------------------------------------------------------------------


def test_render_refuses_code_in_the_page_template(mine: Path, tmp_path: Path) -> None:
    proof = tmp_path / "PROOF"
    line = plant_in_page(mine, f"{{% set _ = {payload(proof)} %}}")
    code, _, err = run_cli("render", str(ANBAO), "--format", "html,docx", "--template", str(mine),
                           "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 1
    assert not proof.exists()
    assert err.startswith(f"错误：模板 {mine}/page.html.j2 试图做模板不允许的事，已拒绝"), err
    assert f"{mine}/page.html.j2:{line}:1: 错误 [template-unsafe] 模板不允许访问 type 对象的 __init__，已拒绝" in err
    assert "内部错误" not in err and "Traceback" not in err
    assert written(tmp_path / "out") == []


def test_render_refuses_code_in_an_included_template(mine: Path, tmp_path: Path) -> None:
    proof = tmp_path / "PROOF"
    line = plant_in_page(mine, f"{{{{ {payload(proof)} }}}}", "table.html.j2", after="</h1>\n")
    code, _, err = run_cli("render", str(ANBAO), "--format", "html", "--template", str(mine),
                           "-o", str(tmp_path / "out"))
    assert code == 1 and not proof.exists()
    assert f"{mine}/table.html.j2:{line}:1: 错误 [template-unsafe]" in err, err


def test_render_refuses_code_in_a_word_shell(mine: Path, tmp_path: Path) -> None:
    proof = tmp_path / "PROOF"
    shell = plant_in_shell(mine, "A", f'{{{{ {payload(proof)} }}}}')
    code, _, err = run_cli("render", str(ANBAO), "--format", "docx", "--template", str(mine),
                           "-o", str(tmp_path / "out"))
    assert code == 1
    assert not proof.exists()
    assert err.startswith(f"错误：模板 {shell} 试图做模板不允许的事，已拒绝"), err
    assert f"{shell}: 错误 [template-unsafe] 模板不允许访问 type 对象的 __init__" in err
    assert "内部错误" not in err and "Traceback" not in err
    assert written(tmp_path / "out") == []


def test_render_refuses_code_in_a_word_shells_properties(mine: Path, tmp_path: Path) -> None:
    """docxtpl renders the document properties too, through the same environment."""
    proof = tmp_path / "PROOF"
    shell = mine / "variants" / "A" / "shell.docx"
    with zipfile.ZipFile(shell) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    title = re.search(r"<dc:title>[^<]*</dc:title>|<dc:title/>", core)
    assert title, core
    rewrite_part(shell, "docProps/core.xml", title[0], f"<dc:title>{{{{ {payload(proof)} }}}}</dc:title>")
    code, _, err = run_cli("render", str(ANBAO), "--format", "docx", "--template", str(mine),
                           "-o", str(tmp_path / "out"))
    assert (code, proof.exists()) == (1, False)
    assert f"{shell}: 错误 [template-unsafe]" in err, err


def test_disclose_refuses_code_in_the_disclosure_template(mine: Path, tmp_path: Path) -> None:
    proof = tmp_path / "PROOF"
    line = plant_in_page(mine, f"{{% set _ = {payload(proof)} %}}", "disclosure.html.j2")
    code, _, err = run_cli("disclose", str(SONGNAN), "--format", "html", "--template", str(mine),
                           "-o", str(tmp_path / "out"), "-j", "1")
    assert (code, proof.exists()) == (1, False)
    assert f"{mine}/disclosure.html.j2:{line}:1: 错误 [template-unsafe]" in err, err
    assert "内部错误" not in err
    assert written(tmp_path / "out") == []


def test_only_jixiaos_own_templates_are_rendered_outside_the_sandbox(mine: Path) -> None:
    assert not isinstance(Renderer().html.env, jinja2.sandbox.SandboxedEnvironment)
    assert isinstance(Renderer(mine).html.env, jinja2.sandbox.ImmutableSandboxedEnvironment)
    # `templates check` tries even jixiao's own in the sandbox
    assert isinstance(sandboxed_env(BUILTIN_TEMPLATES), jinja2.sandbox.ImmutableSandboxedEnvironment)


def test_jixiaos_own_templates_give_the_same_bytes_outside_the_sandbox(mine: Path, tmp_path: Path) -> None:
    made = {}
    for name, template in (("own", []), ("sandboxed", ["--template", str(mine)])):
        out = tmp_path / name
        assert run_cli("render", str(SONGNAN), "--format", "html", "-o", out, "-j", "1", "--no-cache", *template)[0] == 0
        assert run_cli("disclose", str(SONGNAN), "--format", "html", "-o", out, "-j", "1", "--no-cache",
                       *template)[0] == 0
        made[name] = {p: (out / p).read_bytes() for p in files_under(out)}
    assert len(made["own"]) == 6 and made["own"] == made["sandboxed"]  # 5 tables, 1 document


def test_templates_cannot_change_the_data(mine: Path, tmp_path: Path) -> None:
    """The sandbox is the immutable one: the built-in templates change nothing, so no
    template may change what it is given."""
    plant_in_page(mine, '{{ grid.meta.update({"标题": "改过的标题"}) }}', "table.html.j2", after="</h1>\n")
    code, _, err = run_cli("render", str(ANBAO), "--format", "html", "--template", str(mine),
                           "-o", str(tmp_path / "out"))
    assert code == 1
    assert "模板不允许访问 dict 对象的 update，已拒绝" in err, err


# -- files outside the template folder ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../../../../../etc/passwd", "/etc/passwd", "outside.j2"])
def test_templates_are_read_from_their_own_folder_only(name: str, mine: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TEXT", encoding="utf-8")
    (mine / "outside.j2").symlink_to(secret)  # a link in the folder that leads out of it
    env = sandboxed_env(mine)
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template(name)
    plant_in_page(mine, f'{{% include "{name}" %}}')
    code, _, err = run_cli("render", str(ANBAO), "--format", "html", "--template", str(mine),
                           "-o", str(tmp_path / "out"))
    assert code == 1 and f"{mine}/page.html.j2 出错：找不到模板「{name}」，或它不在模板目录里" in err, err
    assert written(tmp_path / "out") == []
    code, out, _ = run_cli("templates", "check", str(mine))
    assert code == 1
    assert re.search(rf"{re.escape(str(mine))}/page\.html\.j2:\d+:1: 错误 \[template-syntax\] "
                     rf"用示例项目试生成时出错：找不到模板「{re.escape(name)}」", out), out
    assert "SECRET" not in out


def test_templates_in_the_folder_and_below_are_included(mine: Path, tmp_path: Path) -> None:
    (mine / "parts").mkdir()
    (mine / "parts" / "note.j2").write_text("<p>附注 {{ grid.variant }}</p>\n", encoding="utf-8")
    plant_in_page(mine, '{% include "parts/note.j2" %}')
    code, _, _ = run_cli("render", str(ANBAO), "--format", "html", "--template", str(mine),
                         "-o", str(tmp_path / "out"))
    (html,) = written(tmp_path / "out")
    assert code == 0 and "<p>附注 A</p>" in html.read_text(encoding="utf-8")


# -- jixiao templates check ---------------------------------------------------------------------------


def test_builtin_templates_pass_the_check() -> None:
    assert check_template_dir(BUILTIN_TEMPLATES) == []
    code, out, err = run_cli("templates", "check", str(BUILTIN_TEMPLATES))
    assert (code, out, err) == (0, f"模板目录 {BUILTIN_TEMPLATES} 可以使用。\n", "")


@pytest.mark.parametrize("form", list(FormKind))
def test_the_sample_projects_load_cleanly(form: FormKind) -> None:
    project, problems = sample_project(form)
    assert problems == [] and project.form is form


def test_templates_check_reports_code_in_templates_and_shells(mine: Path, tmp_path: Path) -> None:
    proof = tmp_path / "PROOF"
    line = plant_in_page(mine, f"{{% set _ = {payload(proof)} %}}")
    disclosure = plant_in_page(mine, f"{{{{ {payload(proof)} }}}}", "disclosure.html.j2")
    plant_in_shell(mine, "A", f'{{{{ {payload(proof)} }}}}')
    code, out, err = run_cli("templates", "check", str(mine))
    assert code == 1
    assert not proof.exists()
    unsafe = [row for row in out.splitlines() if "[template-unsafe]" in row]
    assert [row.split(": 错误")[0] for row in unsafe] == [
        f"{mine}/disclosure.html.j2:{disclosure}:1",
        f"{mine}/page.html.j2:{line}:1",
        f"{mine}/variants/A/shell.docx",
    ], out
    assert "模板访问 __globals__、__init__：以下划线开头的属性通向 Python 内部，模板沙箱一律拒绝" in unsafe[1]
    assert err == "错误：模板目录有 3 个错误。\n"


def test_templates_check_tries_the_templates_in_the_sandbox(mine: Path, tmp_path: Path) -> None:
    """What only rendering shows (no internal name to read) is found by trying the templates
    with a sample project of each variant's form, in the sandbox."""
    line = plant_in_page(mine, '{{ grid.meta.update({"标题": "改过的标题"}) }}', "table.html.j2", after="</h1>\n")
    plant_in_shell(mine, "D", "{% set names = [] %}{{ names.append(标题) }}")
    proof = tmp_path / "PROOF"
    shell = mine / "variants" / "B" / "shell.docx"
    with zipfile.ZipFile(shell) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    title = re.search(r"<dc:title>[^<]*</dc:title>|<dc:title/>", core)
    assert title, core
    rewrite_part(shell, "docProps/core.xml", title[0], f"<dc:title>{{{{ {payload(proof)} }}}}</dc:title>")
    code, out, _ = run_cli("templates", "check", str(mine))
    assert code == 1 and not proof.exists()
    assert out.splitlines() == [
        f"{mine}/table.html.j2:{line}:1: 错误 [template-unsafe] 模板不允许访问 dict 对象的 update，已拒绝："
        "模板只能使用 jixiao 提供的变量、过滤器、循环和同一目录里的模板，不能访问 Python 的内部属性或改动数据"
        "（Jinja2 沙箱的原话：access to attribute 'update' of 'dict' object is unsafe.）",
        f"{shell}: 错误 [template-unsafe] 模板不允许访问 type 对象的 __init__，已拒绝："
        "模板只能使用 jixiao 提供的变量、过滤器、循环和同一目录里的模板，不能访问 Python 的内部属性或改动数据"
        "（Jinja2 沙箱的原话：access to attribute '__init__' of 'type' object is unsafe.）",
        f"{mine}/variants/D/shell.docx: 错误 [template-unsafe] 模板不允许访问 list 对象的 append，已拒绝："
        "模板只能使用 jixiao 提供的变量、过滤器、循环和同一目录里的模板，不能访问 Python 的内部属性或改动数据"
        "（Jinja2 沙箱的原话：access to attribute 'append' of 'list' object is unsafe.）",
    ]


def test_a_loop_over_the_sandbox_range_cap_is_a_template_error(mine: Path, tmp_path: Path) -> None:
    """range() beyond 100,000 items raises OverflowError in the sandbox: said in Chinese, not 内部错误."""
    plant_in_page(mine, "{% for i in range(10**6) %}{% endfor %}")
    code, _, err = run_cli("render", str(ANBAO), "--format", "html", "--template", str(mine),
                           "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 1
    assert "出错" in err and "内部错误" not in err
