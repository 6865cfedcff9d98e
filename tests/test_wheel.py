"""The built wheel works outside the checkout: CLI, and bundled templates and playbooks."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel, install it into a fresh venv outside the checkout; return its bin/."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(root), "."],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    wheel = next(root.glob("launchkit-*.whl"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Install the wheel's files with the test venv's pip into the fresh venv; its dependencies
    # come from the test venv's site-packages through a .pth line (a .pth inside a path added
    # this way is not processed, so the editable checkout install does not leak in).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--ignore-installed",  # else pip uninstalls the test venv's own launchkit first
            "--prefix",
            str(venv),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    Path(site, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "python"), *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_cli_from_wheel(installed: Path, tmp_path: Path) -> None:
    # The console script's shebang names the installing interpreter, so run it with the
    # fresh venv's python to be sure it is the wheel's code that answers.
    script = _run(installed, str(installed / "launchkit"), "--version", cwd=tmp_path)
    assert script.returncode == 0, script.stderr
    assert script.stdout.startswith("launchkit ")
    assert _run(installed, "-m", "launchkit", "--help", cwd=tmp_path).returncode == 0
    doctor = _run(installed, "-m", "launchkit", "doctor", cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stderr
    assert "X posting" in doctor.stdout


def test_bundled_files_from_wheel(installed: Path, tmp_path: Path) -> None:
    code = (
        "import launchkit, sys\n"
        "from launchkit import resources\n"
        "t = sorted(p for p in resources.templates_dir().rglob('*') if p.is_file())[0]\n"
        "p = sorted(resources.playbooks_dir().glob('*.yaml'))[0]\n"
        "print(launchkit.__file__); print(t); print(p)\n"
        "assert t.read_text(encoding='utf-8').strip() and p.read_text(encoding='utf-8').strip()\n"
        "assert resources.calendar_snapshot().is_file()\n"
        "assert resources.word_costs()['the'] == 127 and resources.confusable_prototypes()[0x430]"
        " == 'a'\n"
    )
    out = _run(installed, "-c", code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    package, template, playbook = out.stdout.split()
    venv = installed.parent
    for path in (package, template, playbook):
        assert Path(path).is_relative_to(venv), f"{path} is not from the installed wheel"
        assert not Path(path).is_relative_to(REPO)
