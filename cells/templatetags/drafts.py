"""``{% draft_attrs "meeting-new" cell %}`` on a ``<form>``: keep its draft in the browser (cells/drafts.py)."""

from django import template
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cells.drafts import draft_key

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_attrs(context, form: str, obj) -> str:
    """The data attributes static/js/drafts.js reads, with its texts in the user's language."""
    user = context["request"].user
    return format_html(
        'data-draft="{}" data-draft-restored="{}" data-draft-discard="{}" data-draft-pending="{}" '
        'data-draft-sent="{}" data-draft-refused="{}" data-draft-offline="{}"',
        draft_key(user, form, obj),
        _("What you typed on %(time)s and had not yet saved has been put back into the form."),
        _("Discard the draft"),
        _("Waiting to send: no network. It will be sent by itself when the network is back; keep this page open."),
        _("Sent and saved."),
        _("The server did not accept it:"),
        _("No network: the page opened from this phone's memory."),
    )


# The kinds of writes the outbox keeps (static/js/outbox.js), each with its noun for one and for many.
OUTBOX_KINDS = {
    "meeting": lambda n: ngettext("%(n)s meeting record", "%(n)s meeting records", n),
    "score": lambda n: ngettext("%(n)s meeting score", "%(n)s meeting scores", n),
    "assessment": lambda n: ngettext("%(n)s annual self-assessment", "%(n)s annual self-assessments", n),
    "registration": lambda n: ngettext("%(n)s registration", "%(n)s registrations", n),
}


@register.simple_tag
def outbox_texts() -> str:
    """What static/js/outbox.js says, in the user's language, as a JSON script element (never run)."""
    texts = {
        "kinds": {kind: [noun(1), noun(2)] for kind, noun in OUTBOX_KINDS.items()},
        "waiting": _("%(items)s waiting to send"),
        "queued": _(
            "No network. It is kept on this phone and will be sent by itself when the network is back: "
            "you may close this page."
        ),
        "sending": _("Sending…"),
        "sent": _("Sent and saved: %(what)s."),
        "refused": _("The server did not accept %(what)s: %(reason)s"),
        "refusedBack": _("What you typed is back in the form: correct it and save again."),
        "open": _("Open the form"),
        "login": _("You are no longer logged in: log in again and what waits will be sent."),
        "error": _("The server answered with an error (%(status)s); it will be tried again later."),
    }
    return json_script(texts, "outbox-texts")
