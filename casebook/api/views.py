from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth import authenticate
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from casebook.api.schema import ErrorSerializer
from casebook.api.serializers import MeSerializer, TokenRequestSerializer, TokenRevokeSerializer, TokenSerializer
from casebook.tokens import token_issue, tokens_revoke


class TokenView(APIView):
    """Exchange a username and password for an API token, which expires (`expiry`). Throttled
    like the sign-in page."""

    authentication_classes = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer, 429: ErrorSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A locked-out pair gets None here too; django-axes's middleware then answers 429.
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            return Response(
                {"non_field_errors": ["The username or password is not correct."]}, status=status.HTTP_400_BAD_REQUEST
            )
        token, record = token_issue(user=user)
        return Response(TokenSerializer({"token": token, "expiry": record.expiry}).data)


class TokenRevokeView(APIView):
    """Sign out of the API: revoke the token this request carries, or with `all` every token
    of the caller's."""

    @extend_schema(request=TokenRevokeSerializer, responses={200: TokenRevokeSerializer})
    def post(self, request):
        data = TokenRevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["all"] and request.auth is None:
            return Response(
                {"all": ["This request carries no token: send one, or ask for all of yours to be revoked."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = None if data.validated_data["all"] else request.auth
        revoked = tokens_revoke(user=request.user, by=request.user, reason="revoked by its owner", token=token)
        return Response({"all": data.validated_data["all"], "revoked": revoked})


@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI, served from the app. It sets inline styles as it renders, so this one page
    allows them; scripts stay locked to our own files."""


class MeView(APIView):
    """The signed-in user and their roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
