"""docs/ci.md works as written: its settings file, GitHub Actions workflow and shell recipe
are taken from the page and run, step by step, on a repository of two example waves."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import EXAMPLE, ROOT

DOC = ROOT / "docs" / "ci.md"
BIN = Path(sys.executable).parent  # the surveykit console script sits beside this python


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _repo(tmp_path: Path, waves: tuple[str, ...]) -> Path:
    """A survey repository laid out as the page describes."""
    repo = tmp_path / "survey-repo"
    files = {"2025": EXAMPLE / "survey-2025.xlsx", "2026": EXAMPLE / "survey.xlsx"}
    for wave in waves:
        (repo / "waves" / wave).mkdir(parents=True)
        shutil.copy(files[wave], repo / "waves" / wave / "survey.xlsx")
    shutil.copy(EXAMPLE / "codebook.yaml", repo / "codebook.yaml")
    (repo / "surveykit.toml").write_text(_blocks("toml")[0], encoding="utf-8")
    return repo


def _env(repo: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    # The page's settings ask for every format; the PDF adds nothing to what this test
    # checks and costs seconds, so the environment (which the page says sits between the
    # file and the flags) narrows it, as a CI job could.
    env["SURVEYKIT_FORMATS"] = "html,json"
    env["GITHUB_ENV"] = str(repo.parent / "github_env")
    Path(env["GITHUB_ENV"]).write_text("")
    return env


def _bash(script: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    # GitHub runs `run:` steps with `bash --noprofile --norc -eo pipefail {0}`.
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _run_workflow(repo: Path) -> list[dict]:
    workflow = yaml.safe_load(_blocks("yaml")[0])
    steps = workflow["jobs"]["paper"]["steps"]
    env = _env(repo)
    for step in steps:
        if "uses" in step:
            continue  # actions from the marketplace: checked below, not run here
        if step.get("id") == "install":
            # Installing is pip's job (surveykit is already installed beside this python).
            assert "pip install" in step["run"] and "surveykit[pdf]" in step["run"]
            continue
        # Variables a step appends to $GITHUB_ENV reach the later steps.
        for line in Path(env["GITHUB_ENV"]).read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        proc = _bash(step["run"], repo, env)
        assert proc.returncode == 0, f"step {step.get('name')!r}:\n{proc.stdout}\n{proc.stderr}"
    return steps


def test_workflow_compares_the_newest_wave_with_the_one_before(tmp_path):
    repo = _repo(tmp_path, ("2025", "2026"))
    steps = _run_workflow(repo)
    paper = repo / "paper" / "2026"
    payload = json.loads((paper / "results.json").read_text())
    assert payload["comparison"]["waves"] == ["2025", "2026"]
    overall = {c["item"]: c["label"] for c in payload["comparison"]["changes"]
               if c["breakdown"] == "(overall)"}
    planted = json.loads((EXAMPLE / "planted.json").read_text())["previous_wave"]
    assert overall["know_refer"] == "better" and overall["had_training"] == "worse"
    assert planted["changed_items"] == ["had_training", "know_refer"]
    assert payload["config"]["min_group"] == 10 and payload["config"]["by"] == ["sector", "role"]
    assert (paper / "briefing.html").is_file() and (paper / "manifest.json").is_file()
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and (repo / upload["with"]["path"]).is_dir()
    on = yaml.safe_load(_blocks("yaml")[0]).get("on") or yaml.safe_load(
        _blocks("yaml")[0])[True]  # YAML 1.1 reads a bare `on` key as True
    assert "waves/**" in on["push"]["paths"]


def test_workflow_first_wave_has_nothing_to_compare(tmp_path):
    repo = _repo(tmp_path, ("2026",))
    _run_workflow(repo)
    payload = json.loads((repo / "paper" / "2026" / "results.json").read_text())
    assert "comparison" not in payload and payload["respondents"] == 1187


def test_shell_recipe(tmp_path):
    script = next(b for b in _blocks("sh") if b.startswith("#!/usr/bin/env bash"))
    repo = _repo(tmp_path, ("2025", "2026"))
    proc = _bash(script, repo, _env(repo))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "paper written to paper/2026/briefing.html" in proc.stdout
    payload = json.loads((repo / "paper" / "2026" / "results.json").read_text())
    assert payload["comparison"]["waves"] == ["2025", "2026"]


def test_documented_settings_are_the_real_ones():
    from dataclasses import fields

    from surveykit.config import FAIL_RULES, RunConfig

    text = DOC.read_text(encoding="utf-8")
    keys = re.search(r"Keys: (.*?)\.\n", text, re.S).group(1)
    assert sorted(re.findall(r"`(\w+)`", keys)) == sorted(
        f.name for f in fields(RunConfig) if f.name != "config_file")
    rules = text.split("`--fail-on` rules", 1)[1].split("\n\n", 2)[1]
    assert sorted(re.findall(r"^\| `(\w+)` \|", rules, re.M)) == sorted(FAIL_RULES)
