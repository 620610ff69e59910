"""The e-mail as it leaves: text and HTML (the same words), the row's own Message-ID,
`Auto-Submitted`, a Reply-To where the school set one, and meeting requests as iMIP.

iMIP (RFC 6047) as Outlook, Google and Apple expect it: the calendar object is an
alternative of the message body (`text/calendar; method=REQUEST` or `CANCEL`, next to
text/plain and text/html), and the same .ics goes along as an attachment for clients
that only look at attachments:

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST; charset=utf-8
      application/ics  (overleg.ics)
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.utils.html import escape, urlize

CALENDAR = "text/calendar"


class MailMessage(EmailMultiAlternatives):
    """Django's message, with MIME parameters allowed on an alternative's type
    (`text/calendar; method=REQUEST`), which iMIP needs."""

    def _create_mime_attachment(self, content, mimetype):
        base, *params = [part.strip() for part in mimetype.split(";")]
        if not params or not base.startswith("text/"):
            return super()._create_mime_attachment(content, mimetype)
        part = SafeMIMEText(content, base.split("/", 1)[1], self.encoding or settings.DEFAULT_CHARSET)
        for param in params:
            name, _sep, value = param.partition("=")
            part.set_param(name.strip(), value.strip().strip('"'))
        return part


def text_to_html(text: str, language: str = "nl") -> str:
    """The HTML part: the text part's own words, escaped, paragraphs kept, links clickable.
    Made from the text, so the two can never say different things."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(f"<p>{urlize(escape(p), autoescape=False).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8"></head>'
        f'<body style="font-family: sans-serif; line-height: 1.5">\n{body}\n</body></html>\n'
    )


def build_message(notification, *, connection=None) -> MailMessage:
    headers = {
        "Message-ID": notification.message_id,
        # RFC 3834: sent by a program; auto-responders (out of office) stay silent.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    message = MailMessage(
        notification.subject,
        notification.body,
        to=[notification.to_email],
        reply_to=[notification.reply_to] if notification.reply_to else None,
        headers=headers,
        connection=connection,
    )
    language = getattr(notification.recipient, "language", "") or "nl"
    message.attach_alternative(text_to_html(notification.body, language), "text/html")
    mimetype = notification.attachment_mimetype or "application/octet-stream"
    if mimetype.startswith(CALENDAR):
        message.attach_alternative(notification.attachment_content, mimetype)
        message.attach(
            notification.attachment_name or "overleg.ics", notification.attachment_content.encode(), "application/ics"
        )
    elif notification.attachment_name:
        message.attach(notification.attachment_name, notification.attachment_content, mimetype)
    return message
