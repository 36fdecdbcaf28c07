from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from classifier_fixtures import ABUSIVE, CIVIL

from classifiers import load_model
from moderation.cli.model_commands import evaluate_command, train_command


def test_the_commands_are_named_for_the_cli_group() -> None:
    assert (train_command.name, evaluate_command.name) == ("train", "evaluate")
    for command in (train_command, evaluate_command):
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0 and "--data" in result.output


def test_train_writes_a_loadable_versioned_artifact(tiny_csv: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        train_command, ["--data", str(tiny_csv), "--out-dir", str(tmp_path), "--min-positives", "20", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    model = load_model(tmp_path / "civility.skops")
    assert model.version in result.output
    assert json.loads((tmp_path / "civility.card.json").read_text())["attributes"] == list(model.attributes)


def test_evaluate_prints_metrics_and_writes_a_report_with_plots(
    tiny_model_path: Path, tiny_csv: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        evaluate_command,
        ["--model", str(tiny_model_path), "--data", str(tiny_csv), "--report-dir", str(tmp_path), "--quiet"],
    )
    assert result.exit_code == 0, result.output
    assert "ROCAUC" in result.output and "tiny.csv" in result.output
    report = json.loads((tmp_path / "report.json").read_text())
    toxicity = report["files"]["tiny.csv"]["attributes"]["toxicity"]
    assert toxicity["roc_auc"] > 0.9 and 0 <= toxicity["ece"] <= 1
    assert (tmp_path / "tiny.png").stat().st_size > 1000


def test_evaluate_shows_which_functional_tests_the_model_lets_through(tiny_model_path: Path, tmp_path: Path) -> None:
    # hatecheck's layout: a functionality per row; the hateful cases labelled 1, the others 0.
    path = tmp_path / "functional.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat",
                         "source", "functionality", "target_ident"])
        for text in ABUSIVE:
            writer.writerow([text, "", "", "", "1", "", "", "hatecheck", "abuse_h", "women"])
        for text in CIVIL:
            writer.writerow([text, "", "", "", "0", "", "", "hatecheck", "civil_nh", "women"])
    result = CliRunner().invoke(evaluate_command, ["--model", str(tiny_model_path), "--data", str(path),
                                                   "--report-dir", str(tmp_path / "report"), "--quiet"])
    assert result.exit_code == 0, result.output
    table = json.loads((tmp_path / "report" / "report.json").read_text())["files"]["functional.csv"]["by_functionality"]
    assert table["abuse_h"]["rows"] == len(ABUSIVE) and table["abuse_h"]["labelled"] == 1.0
    assert table["abuse_h"]["held"] == 1.0 and table["civil_nh"]["held"] == 0.0
    lines = result.output.splitlines()
    abuse, civil = (next(i for i, line in enumerate(lines) if line.strip().startswith(n)) for n in ("abuse_h", "civil_nh"))
    assert abuse < civil  # the labelled functionalities come first


def test_train_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(train_command, ["--data", str(tmp_path / "nope.csv"), "--out-dir", str(tmp_path)])
    assert result.exit_code != 0


def test_a_file_the_commands_cannot_use_is_a_one_line_error_naming_where(tiny_model_path: Path, tmp_path: Path) -> None:
    """An operator's walk: each of these was a traceback of 31 to 38 lines."""
    files = {"no_text.csv": "body,toxicity\nhello,1\n", "bad_label.csv": "text,toxicity\nhello,0\nbye,abc\n",
             "unlisted.csv": "text,toxicity,source\nhello,1,mystery\nbye,0,mystery\n"}
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    # ... and a re-check's: UTF-16, and too few rows; Excel's byte-order mark is read, not refused.
    (tmp_path / "utf16.csv").write_text("text,toxicity\nhello,1\n", encoding="utf-16")
    (tmp_path / "bom.csv").write_text("text,toxicity\n" + "a fine comment,0\nyou idiot,1\n", encoding="utf-8-sig")
    for name, command, said in (("utf16.csv", evaluate_command, "not UTF-8 text"), ("bom.csv", train_command,
                                                                                     "need at least 20 rows to train")):
        extra = (["--model", str(tiny_model_path)] if command is evaluate_command
                 else ["--out-dir", str(tmp_path / "o"), "--allow-unlisted-source"])
        result = CliRunner().invoke(command, [*extra, "--data", str(tmp_path / name), "--quiet"])
        assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output
    said = {}
    for name in files:
        for command, extra in ((evaluate_command, ["--model", str(tiny_model_path)]),
                               (train_command, ["--out-dir", str(tmp_path / "out")])):
            if (name, command) == ("unlisted.csv", evaluate_command):
                continue  # evaluating on a source of unknown licence is fine: nothing is shipped
            result = CliRunner().invoke(command, [*extra, "--data", str(tmp_path / name), "--quiet"])
            assert result.exit_code == 1 and "Traceback" not in result.output and result.exception is not None
            said[name, command.name] = result.output.strip()
    assert said["no_text.csv", "evaluate"].endswith("no_text.csv: no 'text' column")
    assert said["bad_label.csv", "train"].endswith("bad_label.csv, line 3, column 'toxicity': label must be 0, 1 or "
                                                   "empty, got 'abc'")
    assert "--allow-unlisted-source" in said["unlisted.csv", "train"]
    result = CliRunner().invoke(evaluate_command, ["--model", "/etc/hostname", "--data", str(tmp_path / "no_text.csv")])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot load /etc/hostname as a model")
