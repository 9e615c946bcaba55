"""
Content-Encoding and size limits of ingest bodies.

Limits apply to the inflated bytes, and inflating stops one byte past the
limit, so a small gzip bomb costs no more memory than an honest body.
"""
import zlib

from .errors import InvalidBody, PayloadTooLarge, UnsupportedEncoding

SUPPORTED_ENCODINGS = ("gzip", "x-gzip", "deflate", "identity")


def decode_body(raw: bytes, content_encoding: str, limit: int, what: str) -> bytes:
    """Return the body inflated per ``content_encoding``; raise if over ``limit`` bytes.

    ``what`` names the body in messages ("message body", "batch body").
    """
    codings = [part.strip().lower() for part in content_encoding.split(",") if part.strip()]
    for coding in codings:
        if coding not in SUPPORTED_ENCODINGS:
            raise UnsupportedEncoding(
                f"Content-Encoding {coding!r} is not supported. Send the body uncompressed, "
                "or compressed with gzip or deflate.",
                encoding=coding,
                supported=["gzip", "deflate"],
            )
    body = raw
    # Codings are listed in the order they were applied, so undo them in reverse.
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            body = _inflate(body, zlib.MAX_WBITS | 16, limit, what, "gzip")
        elif coding == "deflate":
            body = _inflate_deflate(body, limit, what)
    if len(body) > limit:
        raise PayloadTooLarge(
            f"The {what} is {len(body)} bytes; the limit is {limit} bytes ({limit // 1024} KB). "
            + _split_advice(what),
            limit=limit,
            size=len(body),
        )
    return body


def _split_advice(what: str) -> str:
    if "batch" in what:
        return "Split it into smaller batches."
    return "Send less data per message, or move large values elsewhere."


def _inflate(data: bytes, wbits: int, limit: int, what: str, name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while data:
        decompressor = zlib.decompressobj(wbits)
        try:
            chunk = decompressor.decompress(data, limit + 1 - total)
        except zlib.error as exc:
            raise InvalidBody(
                f"The body is labelled Content-Encoding: {name} but is not valid {name} data ({exc}). "
                "Compress the whole body, or drop the Content-Encoding header.",
                code="invalid_encoding",
            ) from None
        chunks.append(chunk)
        total += len(chunk)
        if total > limit or decompressor.unconsumed_tail:
            raise PayloadTooLarge(
                f"The {what} inflates to more than {limit} bytes; the limit is {limit} bytes "
                f"({limit // 1024} KB). " + _split_advice(what),
                limit=limit,
                size=f"more than {limit}",
            )
        if not decompressor.eof:
            raise InvalidBody(
                f"The {name} data of the body is cut off before its end. Send the complete compressed body.",
                code="invalid_encoding",
            )
        # Concatenated gzip members are one body (RFC 1952).
        data = decompressor.unused_data if wbits & 16 else b""
    return b"".join(chunks)


def _inflate_deflate(data: bytes, limit: int, what: str) -> bytes:
    # HTTP's "deflate" is zlib-wrapped (RFC 9110), but some clients send raw deflate.
    if len(data) >= 2 and (data[0] * 256 + data[1]) % 31 == 0 and data[0] & 0x0F == 8:
        return _inflate(data, zlib.MAX_WBITS, limit, what, "deflate")
    return _inflate(data, -zlib.MAX_WBITS, limit, what, "deflate")
