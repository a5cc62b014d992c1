from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.selectors import membership_for
from config.requests import AppRequest


@login_required
def library(request: AppRequest):
    membership = membership_for(user=request.user)
    context = {"nav": "identities", "account": membership.account, "identities": []}
    return render(request, "identities/library.html", context)
