"""GET /notifications/events (server-sent events) and DELETE /notifications/{id}."""

from ninja import Router, Status

from config.refusals import FieldError, InvalidInput
from identities.notifications.emit import notification_delete
from identities.notifications.stream import event_stream_response

router = Router(tags=["notifications"])

_EVENTS_DOC = {
    "responses": {
        200: {
            "description": (
                "A text/event-stream: the account's undismissed notifications oldest first, then "
                "new ones as they happen. Each event is `id: <id>` and `data: <JSON>` with the "
                'JSON `{"id", "name", "data", "timestamp"}`; lines starting with `:` are '
                "keep-alives. Resume with the Last-Event-ID header or `last_event_id`."
            ),
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/notifications/events",
    summary="Stream notifications (server-sent events)",
    openapi_extra=_EVENTS_DOC,
)
def notification_events(request, last_event_id: int | None = None):
    # The header wins: a browser's EventSource reconnects to the same URL (with the first
    # connection's query) and puts the id it last saw in the header.
    header = request.headers.get("Last-Event-ID", "").strip()
    after_id = last_event_id or 0
    if header:
        if not (header.isascii() and header.isdigit()):
            raise InvalidInput(
                [FieldError("Last-Event-ID", "Send the id of the last event seen.", "header")]
            )
        after_id = int(header)
    return event_stream_response(
        request=request,
        account=request.account,
        after_id=after_id,
        token_id=request.api_token.pk,
    )


@router.delete(
    "/notifications/{notification_id}",
    response={204: None},
    summary="Dismiss a notification so it is not replayed",
)
def notification_dismiss(request, notification_id: int):
    notification_delete(account=request.account, notification_id=notification_id)
    return Status(204, None)
