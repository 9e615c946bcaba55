import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker.models import Source

from .serve import ensure_port_free, serve_with_daphne

DEVELOPMENT_SOURCE = "development"
ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Migrate, make sure a development source and an admin user exist, print the write key "
        "and the URLs, then serve HTTP and websockets with Daphne."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="TCP port to listen on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Set up and print, but do not start the server.")

    def handle(self, *args, host, port, no_serve=False, **options):
        if not no_serve:
            # Before the admin user is created: its password is printed only once.
            ensure_port_free(host, port)
        call_command("migrate", interactive=False, verbosity=0)
        source, _ = Source.objects.get_or_create(name=DEVELOPMENT_SOURCE)
        password = self.ensure_admin()

        base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        lines = [
            "",
            "Trackside is ready.",
            f"  Source:         {source.name}",
            f"  Write key:      {source.write_key}",
            f"  Ingest:         {base}/v1/track  and  {base}/v1/batch",
            f"  Live debugger:  {base}/debugger/",
            f"  Admin:          {base}/admin/",
            f"  Admin user:     {ADMIN_USERNAME}",
        ]
        if password:
            lines.append(f"  Admin password: {password}   (shown only now; change it with `python manage.py changepassword admin`)")
        else:
            lines.append("  Admin password: set on the first run (reset with `python manage.py changepassword admin`)")
        lines += [
            "",
            f"  Send demo events: python manage.py send_demo_events --url {base} --write-key {source.write_key}",
            "",
        ]
        self.stdout.write("\n".join(lines))
        if not no_serve:
            serve_with_daphne(host, port)

    def ensure_admin(self) -> str | None:
        """Create the admin user on first run; return its new password, or None if it existed."""
        User = get_user_model()
        if User.objects.filter(username=ADMIN_USERNAME).exists():
            return None
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(ADMIN_USERNAME, "", password)
        return password
