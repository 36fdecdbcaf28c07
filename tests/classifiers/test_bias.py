from __future__ import annotations

import numpy as np
import pytest

from classifiers.bias import bias_report, identities_in_text, power_mean

# Background: negatives 0.1, 0.4; positives 0.6, 0.9. Subgroup "g": negative 0.7, positive 0.8.
Y = np.array([0, 0, 1, 1, 0, 1])
P = np.array([0.1, 0.4, 0.6, 0.9, 0.7, 0.8])
IDENTITIES = [set(), set(), set(), set(), {"g"}, {"g"}]


def test_it_computes_subgroup_bpsn_and_bnsp_auc_by_hand() -> None:
    report = bias_report(Y, P, IDENTITIES, min_rows=1, min_per_class=1)
    g = report["identities"]["g"]
    assert g["subgroup_auc"] == pytest.approx(1.0)  # 0.8 > 0.7
    assert g["bpsn_auc"] == pytest.approx(0.5)  # 0.7 beats background positive 0.6, not 0.9
    assert g["bnsp_auc"] == pytest.approx(1.0)  # 0.8 beats both background negatives
    assert report["overall_auc"] == pytest.approx(8 / 9)
    assert report["final_score"] == pytest.approx(0.25 * (8 / 9 + 1.0 + 0.5 + 1.0))


def test_the_power_mean_with_p_minus_five_punishes_the_worst_identity() -> None:
    assert power_mean([0.5, 1.0]) == pytest.approx(((0.5**-5 + 1.0) / 2) ** (-1 / 5))
    assert power_mean([0.5, 1.0]) < 0.6 < np.mean([0.5, 1.0])


def test_it_skips_identities_with_too_few_rows() -> None:
    assert bias_report(Y, P, IDENTITIES)["identities"] == {}


def test_it_finds_multi_word_identity_terms_before_their_parts() -> None:
    assert identities_in_text("An African American teacher") == {"african american"}
    assert identities_in_text("Muslim and Jewish neighbours") == {"muslim", "jewish"}
    assert identities_in_text("nothing here") == set()
