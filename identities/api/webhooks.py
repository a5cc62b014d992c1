"""PUT/GET/DELETE /webhooks: the account's one signed webhook endpoint."""

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from identities.models import Webhook
from identities.notifications.selectors import webhook_get_for
from identities.notifications.webhooks.endpoint import webhook_delete, webhook_save

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    # Documented only (validated by the webhook service, with its own wording): the host must
    # also resolve to a public address, which no schema can say.
    url: str = Field(
        ...,
        json_schema_extra={
            "format": "uri",
            "maxLength": 500,
            "pattern": r"^[hH][tT][tT][pP][sS]?://[^\s/?#@]+(?:[/?#]\S*)?$",
        },
    )


class WebhookOut(Schema):
    id: int
    url: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
    last_response_status: int | None
    last_response_at: datetime | None


class WebhookWithSecretOut(WebhookOut):
    secret: str


def _out(webhook: Webhook) -> dict:
    return {
        "id": webhook.pk,
        "url": webhook.url,
        "is_active": webhook.is_active,
        "created_at": webhook.created_at,
        "updated_at": webhook.updated_at,
        "last_response_status": webhook.last_response_status,
        "last_response_at": webhook.last_response_at,
    }


@router.put(
    "/webhooks",
    response={200: WebhookWithSecretOut, 201: WebhookWithSecretOut},
    summary="Set the webhook URL (rotates the signing secret, shown only here)",
)
def webhook_put(request, payload: WebhookIn):
    webhook, created = webhook_save(account=request.account, url=payload.url)
    return Status(201 if created else 200, {**_out(webhook), "secret": webhook.secret})


@router.get("/webhooks", response=WebhookOut, summary="The webhook (without its secret)")
def webhook_show(request):
    return _out(webhook_get_for(account=request.account))


@router.delete("/webhooks", response={204: None}, summary="Remove the webhook")
def webhook_remove(request):
    webhook_delete(account=request.account)
    return Status(204, None)
