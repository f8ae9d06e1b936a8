from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import Batch, Cadre, Programme
from demo import roster as demo
from placements.models import HostUnit, Placement


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo data: the Shenzhen and Shanghai programmes and their "
        "batches as the press reported them, with invented cadres. Does nothing if the database "
        "already holds programme data, so it is safe to run on every start."
    )

    def handle(self, *args, **options):
        # The check and the writes share one transaction: a failure leaves the database as empty
        # as it was, and a second run at the same moment fails on the unique programme codes
        # instead of seeding twice.
        with transaction.atomic():
            models = [Programme, Batch, Cadre, HostUnit, Placement]
            if any(model.objects.exists() for model in models):
                self.stdout.write(
                    _("Demo data is already present (the database is not empty); nothing written.")
                )
                return
            data = demo.seed()

        if options["verbosity"] >= 2:
            for batch in data.batches:
                placements = [p for p in data.placements if p.batch is batch]
                self.stdout.write(
                    _("%(batch)s: %(start)s, %(cadres)d cadres at %(units)d host units")
                    % {
                        "batch": batch.code,
                        "start": batch.start_date,
                        "cadres": len(placements),
                        "units": len({p.host_unit.name for p in placements}),
                    }
                )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data written: %(programmes)d programmes, %(batches)d batches, "
                    "%(cadres)d cadres, %(host_units)d host units."
                )
                % {
                    "programmes": len(data.programmes),
                    "batches": len(data.batches),
                    "cadres": len(data.cadres),
                    "host_units": len(data.host_units),
                }
            )
        )
