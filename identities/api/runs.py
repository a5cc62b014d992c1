"""POST /run and GET /status/{id}: the model-create reference's two endpoints (API v1)."""

from ninja import Router
from ninja.decorators import decorate_view

from config.api.body import json_object
from config.api.idempotency import OPENAPI_PARAMETER
from config.api.v1_errors import idempotent_v1
from config.refusals import FieldError, InvalidInput
from identities.models import ImageRun
from identities.selectors_runs import run_for, run_status
from identities.services.runs import run_start
from identities.services.runs.acceptance import MODEL_NAME

router = Router(tags=["image runs"])


@router.post(
    "/run",
    summary="Start a run (model_name: model-create)",
    openapi_extra={
        "parameters": [OPENAPI_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["model_name", "inputs"],
                        "properties": {
                            "model_name": {"type": "string", "enum": [MODEL_NAME]},
                            "inputs": {"type": "object"},
                        },
                    }
                }
            },
        },
    },
)
@decorate_view(idempotent_v1)
def run_create(request):
    body = json_object(request)
    if body.get("model_name") != MODEL_NAME:
        raise InvalidInput(
            [FieldError("model_name", f"Unknown model_name; this API serves {MODEL_NAME!r}.")]
        )
    run = run_start(
        account=request.account,
        user=request.api_token.created_by,
        inputs=body.get("inputs"),
        source=ImageRun.API,
    )
    return {"id": run.public_id, "error": None}


@router.get("/status/{run_id}", summary="A run's status and outputs")
def run_status_get(request, run_id: str):
    return run_status(run=run_for(account=request.account, public_id=run_id), request=request)
