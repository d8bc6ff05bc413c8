"""Progress of the long commands (``render``, ``disclose``, ``import``, ``check``).

On a terminal a command shows one counting line, ``[2/12] 名称``, rewritten in place
(``\\r\\033[K``), and a summary; piped (not a terminal) its output is the line-oriented
one scripts read, unchanged; with ``-q`` only the summary. ``check`` counts on stderr,
only on a terminal and only from 200 files, so its report on stdout never changes.

The terminal is faked: ``sys.stdout``/``sys.stderr`` are replaced by text buffers whose
``isatty()`` is True, and the command line runs as the console script does.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from conftest import CLEAN_TARGET, PUJIANG_DEFAULTS, replace_once, run_cli
from jixiao.cli import main

TABLE = "浦江镇人民政府/2026/浦江镇社区党群服务中心/事业编残保金-绩效目标表"
DOCUMENT = "浦江镇人民政府/2026/浦江镇人民政府2026年度项目支出绩效目标表"
SECRET = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", "项目名称: 保密项目") + "公开: false\n不公开原因: 涉密\n"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_b08a6f8de08aa10b.txt"
CLEAR = "\r\033[K"


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def run_on(monkeypatch: pytest.MonkeyPatch, *args: str | Path, stdout_tty: bool = True,
           stderr_tty: bool = True) -> tuple[int, str, str]:
    """``jixiao ARGS`` with stdout and stderr (fake) terminals or not; (exit code, stdout, stderr)."""
    out, err = _Stream(stdout_tty), _Stream(stderr_tty)
    with monkeypatch.context() as m:
        m.setattr(sys, "stdout", out)
        m.setattr(sys, "stderr", err)
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def clean(write_specs) -> Path:
    return write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/b.yaml": CLEAN_TARGET, "d/c.yaml": SECRET})


# -- render (the model the others follow) ------------------------------------------------------------


def test_render_on_a_terminal_counts_in_place_then_sums_up(clean, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("d/c.yaml").unlink()
    code, out, err = run_on(monkeypatch, "render", "d", "--format", "html", "-o", "out", "-j", "1")
    assert (code, err) == (0, "")
    assert out == f"{CLEAR}[1/1] d/b.yaml{CLEAR}共生成 1 个文件（1 个项目）。\n"


# -- disclose -------------------------------------------------------------------------------------------


def test_disclose_on_a_terminal_counts_every_document_and_format(clean, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_on(monkeypatch, "disclose", "d", "--format", "html,docx", "-o", "out", "-j", "1")
    assert (code, err) == (0, "")
    assert out == (f"{CLEAR}[1/2] 浦江镇人民政府 2026 预算公开 HTML"
                   f"{CLEAR}[2/2] 浦江镇人民政府 2026 预算公开 DOCX"
                   f"{CLEAR}未收录 d/c.yaml：标为不公开（涉密）\n"
                   "共生成 2 个文件（1 份公开文档）；1 个项目标为不公开，未收录。\n")
    assert Path(f"out/{DOCUMENT}.html").is_file() and Path(f"out/{DOCUMENT}.docx").is_file()


def test_disclose_piped_prints_the_same_lines_as_before(clean, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = ("未收录 d/c.yaml：标为不公开（涉密）\n"
                f"已生成 out/{DOCUMENT}.html（1 个单位，1 个项目）\n"
                f"已生成 out/{DOCUMENT}.docx（1 个单位，1 个项目）\n")
    assert run_on(monkeypatch, "disclose", "d", "--format", "html,docx", "-o", "out", stdout_tty=False,
                  stderr_tty=False) == (0, expected, "")
    assert run_cli("disclose", "d", "--format", "html,docx", "-o", "out") == (0, expected, "")


@pytest.mark.parametrize("tty", [True, False])
def test_disclose_quiet_prints_only_the_summary(clean, monkeypatch: pytest.MonkeyPatch, tty: bool) -> None:
    assert run_on(monkeypatch, "disclose", "d", "--format", "html", "-o", "out", "-q", stdout_tty=tty) == (
        0, "共生成 1 个文件（1 份公开文档）；1 个项目标为不公开，未收录。\n", "")


# -- import ---------------------------------------------------------------------------------------------


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """Two source files: seed 003's 劝导队经费 (L147–166) and 事业编残保金 (L67–85) tables."""
    if not SEED.is_file():
        pytest.skip("the seeds (../shared/seeds/) are not next to the repository")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "旧表格"
    folder.mkdir()
    (folder / "信访办.txt").write_text("\n".join(lines[146:166]) + "\n", encoding="utf-8")
    (folder / "党群中心.txt").write_text("\n".join(lines[66:85]) + "\n", encoding="utf-8")
    return folder


def test_import_on_a_terminal_counts_the_files_then_sums_up(sources: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_on(monkeypatch, "import", sources, "-o", tmp_path / "ws")
    assert (code, err) == (0, "")
    assert out.startswith(f"{CLEAR}[1/2] {sources / '信访办.txt'}{CLEAR}[2/2] {sources / '党群中心.txt'}{CLEAR}")
    assert "已导入" not in out and "已生成" not in out  # the per-file lines are for pipes
    assert out.endswith("找到 2 张表：2 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖。\n")


def test_import_piped_is_unchanged_and_quiet_prints_only_the_summary(sources: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_on(monkeypatch, "import", sources, "-o", tmp_path / "a", stdout_tty=False)
    assert (code, err) == (0, "")
    assert out == run_cli("import", sources, "-o", tmp_path / "b")[1].replace(str(tmp_path / "b"), str(tmp_path / "a"))
    assert "\r" not in out and out.count("已导入") == 2 and out.endswith("\n\n找到 2 张表：2 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖。\n")
    for tty in (True, False):
        assert run_on(monkeypatch, "import", sources, "-o", tmp_path / f"q{tty}", "-q", stdout_tty=tty) == (
            0, "找到 2 张表：2 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖。\n", "")


# -- check ----------------------------------------------------------------------------------------------


def _many(write_specs, n: int) -> None:
    files = {"d/_defaults.yaml": PUJIANG_DEFAULTS}
    for i in range(n):
        files[f"d/p{i:03}.yaml"] = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", f"项目名称: 项目{i:03}")
    write_specs(files)


def test_check_of_200_files_counts_on_a_terminals_stderr_and_keeps_stdout(write_specs,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _many(write_specs, 200)
    code, out, err = run_on(monkeypatch, "check", "d")
    assert (code, out) == run_cli("check", "d")[:2]
    assert re.search(r"\n检查了 200 个文件：0 个错误，\d+ 个警告。\n$", out)
    assert f"{CLEAR}[200/200] 读取规格文件" in err and f"{CLEAR}[200/200] 检查" in err
    assert err.endswith(CLEAR) and err.replace(CLEAR, "\n").count("\n") >= 3


def test_check_says_nothing_more_when_stderr_is_not_a_terminal_or_the_files_are_few(
        write_specs, monkeypatch: pytest.MonkeyPatch) -> None:
    _many(write_specs, 200)
    assert run_on(monkeypatch, "check", "d", stderr_tty=False)[2] == ""
    Path("d/p199.yaml").unlink()
    code, out, err = run_on(monkeypatch, "check", "d")
    assert (code, err) == (0, "") and re.search(r"\n检查了 199 个文件：0 个错误，\d+ 个警告。\n$", out)
