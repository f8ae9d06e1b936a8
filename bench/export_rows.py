"""Child process of the export benchmark: the roster of the given batches as CSV to /dev/null,
through the same function as the web's and the command line's exports. Prints the row count."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadreprog.settings")

import django  # noqa: E402

django.setup()

from placements.models import Placement  # noqa: E402
from rosters import exporting  # noqa: E402

placements = Placement.objects.filter(batch__programme__code=sys.argv[1])
if len(sys.argv) > 2:
    placements = placements.filter(batch__number__in=sys.argv[2:])
with open(os.devnull, "wb") as out:
    print(exporting.write(placements, out, "csv", full_ids=True))
