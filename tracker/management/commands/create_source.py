from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.models import Source, generate_write_key


class Command(BaseCommand):
    help = "Create a source; prints its write key alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Source name, as used in ?source=NAME (letters, digits, - and _).")
        parser.add_argument("--write-key", help="Write key to use instead of a generated one.")

    def handle(self, *args, name, write_key=None, **options):
        if write_key is not None and not write_key.strip():
            raise CommandError("--write-key must not be empty.")
        source = Source(name=name, write_key=write_key or generate_write_key())
        try:
            source.full_clean()
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(f"Cannot create source {name!r}: {problems}") from None
        source.save()
        self.stdout.write(f"Created source {name!r}. Write key:")
        self.stdout.write(source.write_key)
