"""Email through SES (locally the embedded AWS keeps what was sent)."""

from __future__ import annotations

from adapters import aws
from domain.notifications import Message


class SesMailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, *, to: str, subject: str, text: str) -> None:
        aws.client("ses").send_email(
            Source=self.sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
            },
        )


class EmailSender:
    """Sends a notification ``Message`` as an email."""

    def __init__(self, sender: str) -> None:
        self.mailer = SesMailer(sender)

    def send(self, message: Message) -> None:
        self.mailer.send(to=message.to, subject=message.subject, text=message.text)
