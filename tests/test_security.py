"""Hostile specs and workspaces: nothing they contain runs code, escapes the workspace or -o, or crashes.

Each test is the reproducer of a hole found by an adversarial review (see
docs/security.md): a spec naming a template folder as its 表样, control
characters written as escapes, a repeated anchor, invisible characters in names,
links out of the workspace or out of -o, temporaries left by a killed run,
names longer than a writer holds, and --force runs that produced nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, found, replace_once, run_cli
from jixiao.errors import OutputError
from jixiao.files import write_atomic
from jixiao.model.names import MAX_NAME_CHARS
from jixiao.render.variant import BUILTIN_TEMPLATES
from render_helpers import files_under

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_b08a6f8de08aa10b.txt"


def spec_with(old: str, new: str) -> str:
    return replace_once(CLEAN_TARGET, old, new)


def payload_shell(proof: Path) -> bytes:
    """The built-in Word shell of variant A with a Jinja payload that would create ``proof``."""
    source = BUILTIN_TEMPLATES / "variants" / "A" / "shell.docx"
    out = proof.parent / "evil-shell.docx"
    payload = f"{{{{ cycler.__init__.__globals__.os.system('touch {proof}') }}}}"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", f"<w:p><w:r><w:t>{payload}</w:t></w:r></w:p></w:body>".encode())
            zout.writestr(item, data)
    return out.read_bytes()


# -- 表样 names a variant, never a path ------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../../../elsewhere/x", "/tmp/x", "a/b", "a\\b", "..", ".hidden", "C:x"])
def test_variant_must_be_a_plain_name(write_specs, name: str) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS,
                 "d/a.yaml": spec_with("项目类别: 经常性项目\n", f"项目类别: 经常性项目\n表样: '{name}'\n")})
    assert [f.where for f in found("d") if f.rule == "name-invalid"] == ["d/a.yaml:3:5"]


def test_variant_path_in_defaults_is_reported_in_each_project(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS + "表样: ../../x\n", "d/a.yaml": CLEAN_TARGET})
    [finding] = [f for f in found("d") if f.rule == "name-invalid"]
    assert finding.where == "d/a.yaml:1:1"
    assert "继承自 d/_defaults.yaml:5:5" in finding.message


def test_a_planted_shell_named_by_path_is_never_rendered(write_specs, tmp_path: Path) -> None:
    """The reproducer: 表样 pointing at a folder of the spec repository holding a hostile shell.docx."""
    proof = tmp_path / "PROOF"
    evil = tmp_path / "d" / "evil"
    evil.mkdir(parents=True)
    shutil.copy(BUILTIN_TEMPLATES / "variants" / "A" / "variant.yaml", evil / "variant.yaml")
    (evil / "shell.docx").write_bytes(payload_shell(proof))
    for name in (str(evil), "../../d/evil", "../../../d/evil"):
        write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS,
                     "d/a.yaml": spec_with("项目类别: 经常性项目\n", f"项目类别: 经常性项目\n表样: '{name}'\n")})
        code, _, err = run_cli("render", "d", "--force", "--format", "docx", "-j", "1", "-o", "out")
        assert code == 1
        assert f"表样「{name}」不是模板目录 variants/ 下的一个文件夹名" in err
        assert not proof.exists()
        assert not Path("out").exists()


# -- control characters written as escapes ------------------------------------------------------------


@pytest.mark.parametrize(("escaped", "points"), [("\\0", "U+0000"), ("\\a", "U+0007"), ("\\e", "U+001B"),
                                                 ("\\x1f", "U+001F"), ("\\uFFFE", "U+FFFE"),
                                                 ("\\x7f\\x80", "U+007F、U+0080")])
def test_escaped_control_characters_are_located(write_specs, escaped: str, points: str) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS,
                 "d/a.yaml": spec_with("项目名称: 事业编残保金", f'项目名称: "事业编{escaped}残保金"')})
    [finding] = [f for f in found("d") if f.rule == "control-character"]
    assert finding.where == "d/a.yaml:1:7"
    assert points in finding.message
    # With --force the text is written without them: Word accepts it, nothing blames the shell.
    code, out, err = run_cli("render", "d", "--force", "--format", "docx,html", "-j", "1", "-o", "out")
    assert (code, "内部错误" in err) == (0, False), err
    assert "共生成 2 个文件" in out


def test_a_repeated_anchor_is_read(write_specs) -> None:
    """`项目名称: &x {a: &x 1}` crashed check with KeyError (exit 70)."""
    write_specs({"a.yaml": "项目名称: &x\n  a: &x 1\n"})
    code, out, err = run_cli("check", "a.yaml")
    assert code == 1 and err == ""
    assert "a.yaml:1:7: 错误 [wrong-type]" in out


# -- names ---------------------------------------------------------------------------------------------


def test_invisible_characters_leave_file_names_and_are_warned(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS.replace("浦江镇人民政府", "浦江镇\u200b人民政府"),
                 "d/a.yaml": spec_with("项目名称: 事业编残保金", "项目名称: abc\u202egpj.exe")})
    warnings = [(f.where, f.message[:4]) for f in found("d") if f.rule == "name-invisible-character"]
    assert warnings == [("d/a.yaml:1:1", "主管部门"), ("d/a.yaml:1:7", "项目名称")]
    code, _, err = run_cli("render", "d", "--format", "html", "-o", "out")
    assert code == 0, err
    [written] = [Path("out") / p for p in files_under(Path("out"))]
    names = written.relative_to("out").parts
    assert not any(c in part for part in names for c in "\u200b\u202e"), names
    assert names[0].startswith("浦江镇人民政府-")  # not the same folder as the visible name's
    assert names[-1].startswith("abcgpj.exe-")


def test_names_over_the_limit_are_refused(write_specs) -> None:
    long = "长" * (MAX_NAME_CHARS + 1)
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS,
                 "d/a.yaml": spec_with("实施单位: 浦江镇社区党群服务中心", f"实施单位: {long}")})
    [finding] = [f for f in found("d") if f.rule == "name-invalid"]
    assert (finding.where, finding.message) == ("d/a.yaml:3:7", f"实施单位有 {MAX_NAME_CHARS + 1} 个字，最多 {MAX_NAME_CHARS} 个；请写简称")


# -- links out of the workspace and out of -o ------------------------------------------------------


def test_a_spec_linked_from_outside_is_not_read(write_specs, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    secret.write_text("项目名称: 别处的秘密\n", encoding="utf-8")
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET})
    (root / "d" / "b.yaml").symlink_to(secret)
    (root / "d" / "inside.yaml").symlink_to(root / "d" / "a.yaml")  # a link within is fine
    for args in (["d"], ["d/b.yaml"]):
        code, out, err = run_cli("check", *args)
        assert code == 1
        assert f"d/b.yaml: 错误 [link-outside] 这是指向工作区之外（{secret}）的符号链接，jixiao 不读取" in out
        assert "别处的秘密" not in out
    code, out, err = run_cli("export", "d", "--force")
    assert code == 1 and "别处的秘密" not in out
    assert "1 个文件无法读取，未导出：d/b.yaml" in err


def test_linked_folders_and_defaults_from_outside_are_reported(write_specs, tmp_path: Path) -> None:
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "_defaults.yaml").write_text("主管部门: 别处\n", encoding="utf-8")
    (elsewhere / "x.yaml").write_text(CLEAN_TARGET, encoding="utf-8")
    root = write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/u/a.yaml": CLEAN_TARGET})
    (root / "d" / "linked").symlink_to(elsewhere)
    (root / "d" / "u" / "_defaults.yaml").symlink_to(elsewhere / "_defaults.yaml")
    assert [f.where for f in found("d") if f.rule == "link-outside"] == ["d/linked", "d/u/_defaults.yaml"]
    assert not [f for f in found("d") if "别处" in f.message]


def test_a_link_planted_in_the_output_folder_is_not_followed(write_specs, tmp_path: Path) -> None:
    elsewhere = tmp_path.parent / f"{tmp_path.name}-target"
    elsewhere.mkdir()
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET})
    Path("out").mkdir()
    Path("out/浦江镇人民政府").symlink_to(elsewhere)
    code, _, err = run_cli("render", "d", "--format", "html", "-j", "1", "-o", "out")
    assert code == 1
    assert "输出目录里的 out/浦江镇人民政府 是符号链接" in err
    assert list(elsewhere.iterdir()) == []


def test_write_atomic_refuses_paths_out_of_its_root(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="不在输出目录"):
        write_atomic(tmp_path / "out" / ".." / "x.txt", b"x", tmp_path / "out")
    assert not (tmp_path / "x.txt").exists()


# -- temporaries of a killed run ------------------------------------------------------------------


def _killed_at_rename(*args: str, cwd: Path) -> None:
    """Run jixiao in a process that is killed (SIGKILL) right before its first rename."""
    code = ("import os, signal, sys\n"
            "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
            "from jixiao.cli import main\n"
            "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr


def test_a_killed_import_leaves_nothing_after_the_next_run(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "表.txt"
    source.write_text("\n".join(SEED.read_text(encoding="utf-8").splitlines()[146:166]) + "\n", encoding="utf-8")
    _killed_at_rename("import", str(source), "-o", "ws", cwd=tmp_path)
    left = [p.name for p in (tmp_path / "ws").rglob("*.tmp")]
    assert len(left) == 1 and left[0].startswith("._defaults.yaml.")
    monkeypatch.chdir(tmp_path)
    assert run_cli("check", "ws")[1] == "检查了 0 个文件：没有发现问题。\n"  # never read as a spec
    code, out, err = run_cli("import", str(source), "-o", "ws")
    assert code == 0, out + err
    assert list((tmp_path / "ws").rglob("*.tmp")) == []


def test_a_killed_render_leaves_nothing_after_the_next_run(write_specs, tmp_path: Path) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET})
    _killed_at_rename("render", "d", "--format", "html", "-j", "1", "-o", "out", cwd=tmp_path)
    assert len(list(Path("out").rglob("*.tmp"))) == 1
    assert run_cli("render", "d", "--format", "html", "-j", "1", "-o", "out")[0] == 0
    assert list(Path("out").rglob("*.tmp")) == []
    assert len(list(Path("out").rglob("*.html"))) == 1


def test_leftovers_of_other_files_are_left_alone(tmp_path: Path) -> None:
    """Another process of the same run may be writing its own file in the folder."""
    other = tmp_path / ".b.html.abcd1234.tmp"
    mine = tmp_path / ".a.html.wxyz5678.tmp"
    not_ours = tmp_path / ".a.html.tmp"
    for p in (other, mine, not_ours):
        p.write_bytes(b"")
    write_atomic(tmp_path / "a.html", b"x", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.html.tmp", ".b.html.abcd1234.tmp", "a.html"]


# -- --force: exit 0 only when everything requested was produced ------------------------------------


def test_forced_runs_that_skip_a_file_fail(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": "项目名称: [未闭合\n"})
    code, out, err = run_cli("render", "d", "--force", "--format", "html", "-o", "out")
    assert code == 1
    assert out.endswith("共生成 0 个文件（0 个项目）。\n")
    assert err.endswith("错误：1 个文件无法读取，未生成：d/a.yaml\n")
    code, out, err = run_cli("export", "d", "--force")
    assert code == 1
    assert err.endswith("错误：1 个文件无法读取，未导出：d/a.yaml\n")



# -- the longest names check accepts print in every format -------------------------------------------


def test_the_longest_names_render_in_every_format(write_specs) -> None:
    """A 256-character 项目名称 passed check and then crashed DOCX (Word's 255-character properties)."""
    longest = MAX_NAME_CHARS
    defaults = (PUJIANG_DEFAULTS.replace("主管部门: 浦江镇人民政府", f"主管部门: {'部' * longest}")
                + f"公开标题: {'题' * 300}\n")  # no limit on titles: cut in the document properties
    write_specs({"d/_defaults.yaml": defaults,
                 "d/a.yaml": spec_with("项目名称: 事业编残保金", f"项目名称: {'项' * longest}")
                 .replace("实施单位: 浦江镇社区党群服务中心", f"实施单位: {'单' * longest}")})
    code, out, err = run_cli("check", "d")
    assert "错误" not in out, out
    code, out, err = run_cli("render", "d", "--format", "html,pdf,docx", "-j", "1", "-o", "out")
    assert code == 0, err
    code, out, err = run_cli("disclose", "d", "--format", "html,pdf,docx", "-j", "1", "-o", "out")
    assert code == 0, err
    documents = sorted(Path("out").rglob("*.docx"))
    assert len(documents) == 2
    for path in documents:
        props = docx.Document(str(path)).core_properties
        assert 0 < len(props.title) <= 255 and props.author.startswith("部")
    assert all(len(part.encode()) <= 255 for p in Path("out").rglob("*") for part in p.parts)
