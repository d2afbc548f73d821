from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from .net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by invitation from the ordförande, never by sign-up.
        return False

    def get_client_ip(self, request) -> str:
        # allauth's rate limits count per address: behind the proxy, the client's, not the proxy's.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
