import sys

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.revalidation import revalidate
from tracker.models import Event, Source


class Command(BaseCommand):
    help = "Re-run the validation rules over stored events, after the rules changed."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Only events of this source.")

    def handle(self, *args, source=None, **options):
        events = Event.objects.all()
        if source:
            if not Source.objects.filter(name=source).exists():
                raise CommandError(f"No source is named {source!r}.")
            events = events.filter(source__name=source)
        total = events.count()
        if not total:
            self.stdout.write("No events to revalidate.")
            return
        changed = revalidate(events, progress=lambda done: self._progress(done, total))
        self.stderr.write("")
        self.stdout.write(f"Revalidated {total} events; the problems of {changed} changed.")

    def _progress(self, done: int, total: int) -> None:
        if done % 200 and done != total:
            return
        width = 40
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
