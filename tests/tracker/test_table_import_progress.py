"""Progress and Cancel for a partner's table import: the exchange import's protocol
(``progress(percent, text)``; False, or an exception it raises, stops the work), and a cancelled
import changes nothing."""

import pytest

from tracker import services
from tracker.models import AuditEntry, HeldRow, ImportRun, Stakeholder
from tracker.tableimport import Cancelled, Options, apply_plan, import_table, plan_import

from tests.tracker.table_import_helpers import SIGN_IN, workbook


class Stop(Exception):
    """What the app's reporter raises once Cancel is pressed (ui.worker.OperationCancelled)."""


@pytest.fixture
def sign_in(db, tmp_path):
    s = services.stakeholders
    forum = s.create(name="Barking Faith Forum", kind="organisation", sector="faith")
    s.create(name="Daniel Smith", kind="person", sector="faith", organisation=forum, role="")
    s.create(name="Ravi Patell", kind="person", sector="voluntary", email="ravi.p@elsewhere.example")
    return workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN})


def state():
    return (Stakeholder.select().count(), AuditEntry.select().count(), ImportRun.select().count(),
            HeldRow.select().count(), [(s.name, s.role, s.version) for s in Stakeholder.select().order_by(Stakeholder.id)])


def test_plan_and_apply_report_rising_percentages_from_0_to_100(sign_in):
    seen = []
    plan = plan_import(sign_in, Options(), progress=lambda p, t: seen.append((p, t)))
    assert seen[0][0] == 0 and seen[-1] == (100, "Preview ready")
    assert [p for p, _ in seen] == sorted(p for p, _ in seen) and all(t for _, t in seen)
    saving = []
    assert apply_plan(plan, progress=lambda p, t: saving.append(p)) is not None
    assert saving[0] == 0 and saving[-1] == 99 and saving == sorted(saving)  # nothing is reported after the commit


def test_import_table_reports_planning_then_saving_in_one_range(sign_in):
    seen = []
    import_table(sign_in, Options(), progress=lambda p, t: seen.append(p))
    assert seen == sorted(seen) and seen[0] == 0 and max(seen) <= 100 and 50 in seen


def test_cancelling_the_preview_raises_cancelled(sign_in):
    with pytest.raises(Cancelled):
        plan_import(sign_in, Options(), progress=lambda p, t: p < 40)


@pytest.mark.parametrize("stop_at", [0, 10, 40, 80, 90, 99])
@pytest.mark.parametrize("how", ["false", "raise"])
def test_cancelling_at_any_point_of_the_save_changes_nothing(sign_in, stop_at, how):
    plan = plan_import(sign_in, Options(uncertain="hold"))
    before = state()

    def progress(percent, text):
        if percent >= stop_at:
            if how == "raise":
                raise Stop()
            return False
        return True

    with pytest.raises(Cancelled if how == "false" else Stop):
        apply_plan(plan, progress=progress)
    assert state() == before
    # and the same plan, not cancelled, still applies
    plan = plan_import(sign_in, Options(uncertain="hold"))
    assert apply_plan(plan) is not None and state() != before
