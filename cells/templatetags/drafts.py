"""``{% draft_attrs "meeting-new" cell %}`` on a ``<form>``: keep its draft in the browser (cells/drafts.py)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
