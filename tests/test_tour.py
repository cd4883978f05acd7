"""docs/tour.md cannot rot: its Python blocks run, in order, in one fresh interpreter, and
every file it links to exists."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "docs" / "tour.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", TOUR.read_text(), re.S)


def test_the_tour_has_at_least_eight_code_blocks():
    assert len(python_blocks()) >= 8


def test_the_tours_code_runs_in_one_fresh_interpreter(tmp_path):
    script = tmp_path / "tour.py"
    script.write_text("\n\n".join(python_blocks()))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    # the checks the tour makes by hand print lines of True: none may print False
    verdicts = [line.split() for line in done.stdout.splitlines()
                if line.split() and set(line.split()) <= {"True", "False"}]
    assert sum(len(v) for v in verdicts) >= 7, done.stdout
    assert all(word == "True" for v in verdicts for word in v), done.stdout


def test_every_file_the_tour_links_exists():
    links = re.findall(r"\]\(([^)#]+)\)", TOUR.read_text())
    assert len(links) >= 15
    missing = [link for link in links if not (TOUR.parent / link).resolve().exists()]
    assert not missing, missing


def test_readme_links_to_the_tour():
    assert "docs/tour.md" in (ROOT / "README.md").read_text()
