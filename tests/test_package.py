"""The installed package works away from the repository: templates are package data.

A wheel is built from the checkout and installed (without dependencies) into a
folder outside the repository; a Python with only that folder and the
dependencies on its path then checks, renders and discloses a demo department in
another temporary folder that has no ``.git``. Before the templates moved into the
package, ``render`` failed there with 「模板目录 … 不完整」 and ``doctor`` crashed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENT = ROOT / "specs" / "淞南镇主管单位"  # a few self-evaluations: quick to render


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built wheel, installed into a folder of its own; returns that folder."""
    wheels = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("jixiao-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    assert "jixiao/templates/print.css" in names and "jixiao/templates/variants/D/shell.docx" in names
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return target


def jixiao(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``jixiao ARGS`` run by the base interpreter with the installed wheel first on its path,
    then the dependencies (this venv's site-packages, whose .pth files — the editable
    install of the checkout — are not read from PYTHONPATH)."""
    deps = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), deps])}
    python = getattr(sys, "_base_executable", sys.executable)
    return subprocess.run([python, "-s", "-m", "jixiao", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_installed_wheel_renders_from_any_folder(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "某部门"
    shutil.copytree(DEPARTMENT, work / DEPARTMENT.name)
    probe = subprocess.run([getattr(sys, "_base_executable", sys.executable), "-s", "-c",
                            "import jixiao, sys; print(jixiao.__file__)"],
                           env={**os.environ, "PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert probe.stdout.startswith(str(installed)), probe.stdout + probe.stderr
    done = jixiao(installed, work, "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr
    done = jixiao(installed, work, "render", ".", "--format", "html,pdf,docx", "-o", "out", "-j", "1")
    assert done.returncode == 0, done.stderr
    projects = [p for p in DEPARTMENT.rglob("*.yaml") if p.name != "_defaults.yaml"]
    assert len(list((work / "out").rglob("*.pdf"))) == len(projects) == len(list((work / "out").rglob("*.docx")))
    done = jixiao(installed, work, "disclose", ".", "-o", "out", "-j", "1")
    assert done.returncode == 0, done.stderr
    done = jixiao(installed, work, "doctor")
    assert done.returncode == 0 and "一切就绪" in done.stdout, done.stdout + done.stderr
    done = jixiao(installed, work, "templates", "copy", "mine")
    assert done.returncode == 0 and (work / "mine" / "variants" / "A" / "shell.docx").is_file()
    done = jixiao(installed, work, "templates", "check", "mine")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_installed_wheel_starts_a_department_from_nothing(installed: Path, tmp_path: Path) -> None:
    """The clerk's way, with the installed tool in a folder without .git: a new workspace, a
    department, a unit and a project; the blanks filled in; check, the three formats, the
    disclosure document."""
    from test_scaffold import fill

    for args in (("new", "ws"), ("new", "department", "某镇人民政府", "--year", "2027", "--in", "ws"),
                 ("new", "unit", "某镇司法所", "--in", "ws/某镇人民政府/2027"),
                 ("new", "project", "法律服务", "--in", "ws/某镇人民政府/2027/某镇司法所")):
        done = jixiao(installed, tmp_path, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    ws = tmp_path / "ws"
    assert not any((p / ".git").exists() for p in (ws, *ws.parents))  # the marker is the workspace's top
    spec = ws / "某镇人民政府/2027/某镇司法所/法律服务.yaml"
    done = jixiao(installed, ws, "check", ".")
    assert done.returncode == 1 and "[empty-text]" in done.stdout  # the blanks, listed
    spec.write_text(fill(spec.read_text(encoding="utf-8")), encoding="utf-8")
    done = jixiao(installed, ws, "check", ".")
    assert (done.returncode, done.stdout) == (0, "检查了 1 个文件：没有发现问题。\n"), done.stdout + done.stderr
    done = jixiao(installed, ws, "render", ".", "--format", "html,pdf,docx", "-o", "output", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in (ws / "output").rglob("法律服务*")) == [".docx", ".html", ".pdf"]
    done = jixiao(installed, ws, "disclose", ".", "-o", "output", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert len(list((ws / "output").rglob("某镇人民政府2027年度项目支出绩效目标表.pdf"))) == 1
