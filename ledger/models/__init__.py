"""What a programme asks of its cadres and what it yields: duties and their progress
(`duties`), research topics (课题, `topics`) and the outcomes ledger (意见建议, 签约项目,
`outcomes`). Every model is importable from `ledger.models`, as Django expects.

What is due is derived from each cadre's term (Placement.term: their own dates, else the batch's
100 days) whenever it is asked, never stored: `Duty.due_by` is the one place that counts it.
"""

from .duties import PER_PERIOD, SUNDAY, Duty, ProgressEntry, Standing
from .outcomes import Outcome, Project, Suggestion, check_credited
from .topics import Topic, check_claimants
from .uploads import DutyUpload

__all__ = [
    "PER_PERIOD",
    "SUNDAY",
    "Duty",
    "DutyUpload",
    "Outcome",
    "ProgressEntry",
    "Project",
    "Standing",
    "Suggestion",
    "Topic",
    "check_claimants",
    "check_credited",
]
