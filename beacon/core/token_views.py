"""Pages where a manager issues and revokes API tokens for users of their provider."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from beacon.core.permissions import permission_required
from beacon.core.tokens import api_token_issue, api_token_revoke


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Who the token acts as")
    name = forms.CharField(
        label="What it is for", max_length=100, help_text="For example: pharmacy system link"
    )

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = provider.users.filter(is_active=True).order_by("username")


@permission_required("core.manage_api_tokens")
def api_token_list(request: HttpRequest) -> HttpResponse:
    tokens = request.provider.api_tokens.select_related("user", "created_by")
    return render(request, "core/api_tokens.html", {"tokens": tokens})


@permission_required("core.manage_api_tokens")
@require_http_methods(["GET", "POST"])
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, provider=request.provider)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_issue(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            issued_by=request.user,
            request=request,
        )
        return render(request, "core/api_token_issued.html", {"token": token, "raw": raw})
    return render(request, "core/api_token_form.html", {"form": form})


@permission_required("core.manage_api_tokens")
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.provider.api_tokens, pk=token_id)
    api_token_revoke(token=token, revoked_by=request.user, request=request)
    messages.success(request, f"Token “{token.name}” is revoked.")
    return redirect("core:api_tokens")
