"""``python manage.py revalidate [--source NAME]``: re-run the rules over stored events, with a progress bar."""
from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.revalidation import revalidate
from tracker.models import Event, Source

BAR_WIDTH = 40


class Command(BaseCommand):
    help = (
        "Re-run the validation rules over stored events after the rules changed. Problems found on receipt "
        "(parse notes, the request, the source's history) are kept as stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Revalidate only the events of the source with this name.")

    def handle(self, *args, source=None, **options):
        events = Event.objects.all()
        if source:
            if not Source.objects.filter(name=source).exists():
                names = ", ".join(Source.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No source is named {source!r}. Sources: {names}.")
            events = events.filter(source__name=source)
        total = events.count()
        if not total:
            self.stdout.write("No events to revalidate.")
            return
        changed = revalidate(events, progress=lambda done: self.show_progress(done, total))
        self.stderr.write("")
        self.stdout.write(f"Revalidated {total} events; the problems of {changed} changed.")

    def show_progress(self, done: int, total: int) -> None:
        """Redraw the progress bar on standard error."""
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} events", ending="")
        self.stderr.flush()
