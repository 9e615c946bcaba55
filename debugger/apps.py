from django.apps import AppConfig


class DebuggerConfig(AppConfig):
    name = "debugger"
    verbose_name = "Live debugger"
