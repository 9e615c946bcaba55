"""OpenAPI descriptions of the ingest endpoints, for drf-spectacular."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers


class WriteKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tracker.api.authentication.WriteKeyAuthentication"
    name = "writeKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "The source's write key as the username, with an empty password. "
            "Alternatively send it as writeKey in the body.",
        }


class MessageSchema(serializers.Serializer):
    """A Segment message. Every field is optional on the wire; problems are reported, not refused."""

    type = serializers.ChoiceField(
        choices=["track", "identify", "page", "screen", "group", "alias"], required=False,
        help_text="Set by single-message endpoints; required in a batch.",
    )
    userId = serializers.CharField(required=False, allow_null=True)
    anonymousId = serializers.CharField(required=False, allow_null=True)
    event = serializers.CharField(required=False, help_text="Track calls: what the user did.")
    name = serializers.CharField(required=False, help_text="Page and screen calls.")
    properties = serializers.DictField(required=False)
    traits = serializers.DictField(required=False)
    context = serializers.DictField(required=False)
    integrations = serializers.DictField(required=False)
    timestamp = serializers.DateTimeField(required=False)
    sentAt = serializers.DateTimeField(required=False)
    messageId = serializers.CharField(required=False, max_length=100)
    groupId = serializers.CharField(required=False)
    previousId = serializers.CharField(required=False)
    writeKey = serializers.CharField(required=False)


class BatchSchema(serializers.Serializer):
    batch = MessageSchema(many=True)
    sentAt = serializers.DateTimeField(required=False)
    context = serializers.DictField(required=False)
    integrations = serializers.DictField(required=False)
    writeKey = serializers.CharField(required=False)


INGEST_RESPONSE = inline_serializer("IngestResponse", {
    "success": serializers.BooleanField(),
    "rejected": serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text="Messages not stored: {index, code, message}.",
    ),
    "problems": serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text="Error-level problems of stored messages: {index, code, severity, path, message}.",
    ),
})
ERROR_RESPONSE = inline_serializer("ErrorResponse", {
    "code": serializers.CharField(help_text="Stable snake_case code."),
    "message": serializers.CharField(help_text="What is wrong and how to fix it."),
})
ERROR_RESPONSES = {status: ERROR_RESPONSE for status in (400, 401, 403, 413, 415, 429)}


def ingest_schema(request_serializer, description: str):
    return extend_schema(
        request={"application/json": request_serializer, "text/plain": request_serializer},
        responses={200: INGEST_RESPONSE, **ERROR_RESPONSES},
        description=description,
        examples=[OpenApiExample(
            "Track", value={"userId": "u_1", "event": "Order Completed", "properties": {"revenue": 19.99}},
            request_only=True,
        )] if request_serializer is MessageSchema else [],
    )
