"""The client address for context.ip, trusting forwarded headers only from configured proxies."""
from tracker.conf import trackside_settings


def client_ip(request) -> str | None:
    """Return the address of the client that sent ``request``.

    Behind trusted proxies, each proxy appends the address it received the
    request from, so the forwarded list is read from the right, skipping the
    trusted proxies; entries further left could have been written by the client.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = trackside_settings.TRUSTED_PROXIES
    if not remote or remote not in trusted:
        return remote
    forwarded = request.META.get(trackside_settings.FORWARDED_FOR_HEADER, "")
    for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if address not in trusted:
            return address
    return remote
