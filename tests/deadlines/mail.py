"""An e-mail backend whose server is down, to show that a failed send is retried and never duplicated."""

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")
