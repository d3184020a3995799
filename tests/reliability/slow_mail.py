"""An e-mail backend for the killed-worker test: Django's file backend that first leaves a mark that it is sending
and then takes SLOW_MAIL_SECONDS, long enough for the test to kill its worker in the middle."""

import os
import time
from pathlib import Path

from django.core.mail.backends import filebased

SEPARATOR = b"-" * 79


class SlowFileBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["SLOW_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        Path(os.environ["SLOW_MAIL_MARK"]).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        return super().send_messages(email_messages)


def sent_messages(directory: Path) -> list[bytes]:
    """Every e-mail the file backend wrote into ``directory``."""
    messages = []
    for path in sorted(directory.iterdir()):
        messages += [part.strip() for part in path.read_bytes().split(SEPARATOR) if part.strip()]
    return messages
