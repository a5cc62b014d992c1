"""POST /preset/extract-from-image: a brief from a reference photo."""

from ninja import Router

from config.api.body import json_object
from config.api.errors import ApiError, FieldError
from identities.selectors import asset_get_for

router = Router(tags=["presets"])


@router.post("/preset/extract-from-image", summary="Fill a brief from a reference photo")
def extract_from_image(request):
    data = json_object(request)
    problems = []
    if data.get("type") != "identity_creation":
        problems.append(FieldError("type", 'Only "identity_creation" is supported.'))
    if not isinstance(data.get("file_id"), str):
        problems.append(FieldError("file_id", "Required: the uploaded image's file_id."))
    if problems:
        raise ApiError(status=400, error="Validation error", detail=problems)
    asset_get_for(account=request.account, file_id=data["file_id"])
    raise ApiError(
        status=501,
        error="Extraction from images is not available yet on this server.",
        detail=[FieldError("file_id", "Nothing was charged; fill the brief by hand for now.")],
    )
