"""Models of the identities domain, one module per sub-domain."""

from identities.models.assets import UploadedAsset
from identities.models.blocklist import BlockedTerm
from identities.models.consent import ConsentRecord, ExistingModelPhoto
from identities.models.flags import FeatureFlag
from identities.models.idempotency import IdempotencyKey
from identities.models.identity import Identity
from identities.models.jobs import Draft, Instruction, Job
from identities.models.notifications import Notification, Webhook, WebhookDelivery
from identities.models.presets import Preset
from identities.models.runs import ImageRun, RunOutput
from identities.models.wizard import Brief

__all__ = [
    "BlockedTerm",
    "Brief",
    "ConsentRecord",
    "Draft",
    "ExistingModelPhoto",
    "FeatureFlag",
    "IdempotencyKey",
    "Identity",
    "ImageRun",
    "Instruction",
    "Job",
    "Notification",
    "Preset",
    "RunOutput",
    "UploadedAsset",
    "Webhook",
    "WebhookDelivery",
]
