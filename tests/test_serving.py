import pytest

from tracker.serving import fast_content_type


@pytest.mark.parametrize("header, expected", [
    (b"application/json", b"application/json"),
    (b"text/plain;charset=UTF-8", b"text/plain"),
    (b"Application/X-WWW-Form-Urlencoded ; charset=utf-8", b"application/x-www-form-urlencoded"),
    (b"multipart/form-data; boundary=xyz", b"multipart/form-data"),
    (b"garbage", b"text/plain"),
    (b"", b"text/plain"),
])
def test_fast_content_type_matches_email_parser(header, expected):
    from email.message import EmailMessage

    message = EmailMessage()
    message["content-type"] = header.decode("charmap")
    assert fast_content_type(header) == expected
    assert message.get_content_type().encode("charmap") == expected
