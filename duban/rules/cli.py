"""`duban rules …`: evaluate a scenario, check rulebooks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from duban.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = subparsers.add_parser("rules", help="问责规则：评估情景、校验规则库")
    commands = rules.add_subparsers(dest="rules_command", required=True)

    evaluate = commands.add_parser("evaluate", help="评估问责决定的结果运用（第九条）")
    evaluate.add_argument(
        "scenario",
        help="scenario JSON file (see accountability-rules.md); given NAME.expected.json, evaluates NAME.json "
        "and checks the result against it (exit 1 if it differs)",
    )
    evaluate.add_argument("--rulebooks", help="rulebooks folder (default: the project's rulebooks/)")
    evaluate.add_argument("--no-trail", action="store_true", help="leave the trail out")
    evaluate.set_defaults(handler=run_evaluate)

    check = commands.add_parser("check", help="校验规则库")
    check.add_argument("jurisdictions", nargs="*", help="jurisdiction codes (default: all)")
    check.add_argument("--rulebooks", help="rulebooks folder (default: the project's rulebooks/)")
    check.set_defaults(handler=run_check)


def run_evaluate(args: argparse.Namespace) -> int:
    from duban.rules.engine import evaluate
    from duban.rules.loader import load_rulebooks
    from duban.rules.report import contract_output
    from duban.rules.scenario import check_against_rulebooks, parse_scenario

    path = Path(args.scenario)
    raw = _read_json(path)
    expected = _expected_output(path, raw)
    if expected is not None:
        # NAME.expected.json: evaluate its scenario NAME.json and check the result against it.
        path, raw = expected
    scenario = parse_scenario(raw)
    rulebooks = load_rulebooks(scenario.jurisdiction, args.rulebooks)
    check_against_rulebooks(scenario, rulebooks)
    output = contract_output(scenario, evaluate(scenario, rulebooks))
    if expected is not None:
        wanted = _read_json(Path(args.scenario))
        got = {key: value for key, value in output.items() if key != "trail"}
        if got != wanted:
            differing = sorted(key for key in set(got) | set(wanted) if got.get(key) != wanted.get(key))
            print(
                f"duban: {path.name} does not give {Path(args.scenario).name}: {', '.join(differing)} differ",
                file=sys.stderr,
            )
            return 1
    if args.no_trail:
        output.pop("trail")
    print(json.dumps(output, ensure_ascii=False, indent=1))
    return 0


def _expected_output(path: Path, raw: Any) -> tuple[Path, Any] | None:
    """A worked example's expected output (NAME.expected.json, units and people as objects), with
    the scenario beside it (NAME.json); None for anything else."""
    if not path.name.endswith(".expected.json") or not isinstance(raw, dict):
        return None
    if not isinstance(raw.get("units"), dict) or "decisions" in raw:
        return None
    scenario = path.with_name(path.name[: -len(".expected.json")] + ".json")
    if not scenario.exists():
        raise InputError(f"{path}: an expected output, but its scenario {scenario.name} is not beside it")
    return scenario, _read_json(scenario)


def run_check(args: argparse.Namespace) -> int:
    from duban.rules.loader import default_root, load_rulebooks
    from duban.rules.validation import start_label

    root = Path(args.rulebooks) if args.rulebooks else default_root()
    codes = args.jurisdictions or sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for code in codes:
        rulebooks = load_rulebooks(code, root)
        for version in rulebooks.versions:
            until = version.effective_until.isoformat() if version.effective_until else "—"
            print(
                f"{version.id}: 有效 {start_label(version)} 至 {until}，"
                f"{len(version.method_names)} 种问责方式，{len(version.situations)} 种情形，{len(version.rules)} 条结果运用规则"
            )
    return 0


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be a scenario") from None
