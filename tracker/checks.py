"""System checks for configuration mistakes that would break ingest or the debugger."""
from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_channel_layer(app_configs, **kwargs):
    layers = getattr(settings, "CHANNEL_LAYERS", {})
    if "default" not in layers:
        return [Error(
            "CHANNEL_LAYERS has no 'default' layer, so the live debugger receives nothing.",
            hint="Set REDIS_URL, or keep the in-memory layer of tracker/settings.py.",
            id="trackside.E001",
        )]
    return []


@register()
def check_daphne_order(app_configs, **kwargs):
    apps = list(settings.INSTALLED_APPS)
    if "daphne" in apps and "django.contrib.staticfiles" in apps:
        if apps.index("daphne") > apps.index("django.contrib.staticfiles"):
            return [Warning(
                "'daphne' is listed after 'django.contrib.staticfiles', so runserver will not serve websockets.",
                hint="Move 'daphne' above 'django.contrib.staticfiles' in INSTALLED_APPS.",
                id="trackside.W001",
            )]
    return []


@register(deploy=True)
def check_secret_key_source(app_configs, **kwargs):
    import os

    if not os.environ.get("SECRET_KEY"):
        return [Warning(
            "SECRET_KEY is not set, so a key generated into the data folder is used.",
            hint="Set the SECRET_KEY environment variable in production.",
            id="trackside.W002",
        )]
    return []
