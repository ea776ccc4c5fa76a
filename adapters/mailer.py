"""Email through SES (locally the embedded AWS keeps what was sent)."""

from __future__ import annotations

from adapters import aws


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
