"""The rights on criteria frameworks (see cells/rights.py).

``framework.use``: a campaign, a meeting or an import may name a framework only when the user can see
it (its owner's subtree, or published above the user) and it is published: a draft is still being
written, a retired one no longer applies."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cells import rights
from cells.scoping import Action

from .models import Framework, FrameworkStatus


def _visible(user, framework) -> str | None:
    if not Framework.objects.for_user(user, Action.VIEW).filter(pk=framework.pk).exists():
        return _("No framework with code %(code)s in your scope.") % {"code": framework.code}
    return None


def _published(user, framework) -> str | None:
    if framework.status != FrameworkStatus.PUBLISHED:
        return _("Framework %(code)s is not published: only a published framework can be used.") % {
            "code": framework.code
        }
    return None


USE = rights.declare("framework.use", Action.VIEW, organization_of=lambda f: f.owner, scope=_visible, state=_published)


def visible_by_code(user, codes) -> dict[str, Framework]:
    """Frameworks named by ``codes`` that ``user`` may see (all of them for the system, ``user`` None):
    every sheet resolves framework codes through this, so a code outside the scope reads as unknown."""
    frameworks = Framework.objects.all() if user is None else Framework.objects.for_user(user, Action.VIEW)
    return {f.code: f for f in frameworks.filter(code__in=set(codes)).select_related("owner", "parent")}
