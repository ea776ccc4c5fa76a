"""Email through SES (locally the embedded AWS keeps what was sent)."""

from __future__ import annotations

from adapters import aws
from domain.notifications import Message


class SesMailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, *, to: str, subject: str, text: str, html: str | None = None) -> None:
        body = {"Text": {"Data": text, "Charset": "UTF-8"}}
        if html is not None:
            body["Html"] = {"Data": html, "Charset": "UTF-8"}
        aws.client("ses").send_email(
            Source=self.sender,
            Destination={"ToAddresses": [to]},
            Message={"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body},
        )


class EmailSender:
    """Sends a notification ``Message`` as an email."""

    def __init__(self, sender: str) -> None:
        self.mailer = SesMailer(sender)

    def send(self, message: Message) -> None:
        self.mailer.send(
            to=message.to, subject=message.subject, text=message.text, html=message.html
        )
