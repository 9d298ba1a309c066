from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth import authenticate
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from casebook.api.schema import ErrorSerializer
from casebook.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    """Exchange a username and password for an API token. Throttled like the sign-in page."""

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
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI, served from the app. It sets inline styles as it renders, so this one page
    allows them; scripts stay locked to our own files."""


class MeView(APIView):
    """The signed-in user and their roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
