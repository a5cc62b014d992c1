from ninja import Router, Schema

router = Router(tags=["account"])


class CreditsOut(Schema):
    balance: int
    in_progress: int


class MeOut(Schema):
    account: str
    plan: str
    credits: CreditsOut
    token: str


@router.get("/me", response=MeOut, summary="Who this token acts as")
def me(request):
    account = request.account
    return {
        "account": account.name,
        "plan": account.plan.code,
        "credits": {"balance": account.credit_balance, "in_progress": account.credits_reserved},
        "token": request.api_token.name,
    }
