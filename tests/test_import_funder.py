"""Whose money an imported receipt is (``funder``): a column, a rule, else the payee of money
credited to a fund account; never a customer."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.classify import Classifier, History, load_rules
from importers.movements import StatementImporter

RULES = """对方户名,摘要,方向,科目,出资方
青石镇人民政府,产业项目资金,收,专项应付款-中药材种苗,市农业农村局
,手续费,支,管理费用-手续费,
县民政局,,收,,市民政局
"""


@pytest.fixture
def classifier(tmp_path: Path) -> Classifier:
    (tmp_path / "import-rules.csv").write_text(RULES, "utf-8")
    rules, problems = load_rules(tmp_path)
    assert problems == []
    return Classifier(rules, History([], "Assets:102-银行存款"))


@pytest.mark.parametrize(
    ("payee", "summary", "column", "counter", "direction", "funder"),
    [
        # the township passes on a unit's money: a rule names the unit
        (
            "青石镇人民政府",
            "收到镇财政转拨产业项目资金",
            "",
            "Liabilities:241-专项应付款:24101-x",
            "收",
            "市农业农村局",
        ),
        # money into a fund account names its payer by default
        ("县财政局", "衔接资金", "", "Liabilities:241-专项应付款:24101-x", "收", "县财政局"),
        ("青石镇人民政府", "运转经费", "", "Income:503-补助收入:50301-x", "收", "青石镇人民政府"),
        # a customer is never a funder
        ("市农业农村局", "中药材销售款", "", "Income:501-经营收入:50101-x", "收", ""),
        ("某银行", "贷款", "", "Liabilities:201-短期借款:20101-x", "收", ""),
        # a column says whose money it is
        (
            "青石镇人民政府",
            "转拨",
            "市税务局",
            "Liabilities:241-专项应付款:24101-x",
            "收",
            "市税务局",
        ),
        # a funder-only rule (科目 empty)
        ("县民政局", "慰问金", "", "Income:503-补助收入:50301-x", "收", "市民政局"),
        # payments name no funder
        ("县财政局", "退回结余", "", "Liabilities:241-专项应付款:24101-x", "支", ""),
    ],
)
def test_funder_of_a_row(classifier, payee, summary, column, counter, direction, funder) -> None:
    values = {"payee": payee, "summary": summary, "funder": column}
    assert StatementImporter().funder_of(values, classifier, counter, direction) == funder


def test_the_classifier_skips_funder_only_rules(classifier: Classifier) -> None:
    assert classifier.classify("县民政局", "慰问金", "收") is None
    account, how = classifier.classify("青石镇人民政府", "转拨产业项目资金", "收")
    assert account == "专项应付款-中药材种苗" and how.endswith(":2")


def test_a_rule_needs_an_account_or_a_funder(tmp_path: Path) -> None:
    (tmp_path / "import-rules.csv").write_text(
        "对方户名,摘要,方向,科目,出资方\n某,,收,,\n", "utf-8"
    )
    _, [problem] = load_rules(tmp_path)
    assert "科目和出资方都为空" in problem.message
