"""Running a registered export: choose it by ``--sheet`` (or ``--framework``), check its arguments, write."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .registry import Export, ExportError, ExportRequest, exports, get_export
from .writer import WorkbookWriter

ARGUMENT_FLAGS = {"org": "--org", "period": "--period", "campaign": "--campaign", "framework": "--framework"}


def choose_export(request: ExportRequest) -> Export:
    """The export ``request`` asks for: ``--sheet NAME``, or ``--framework CODE`` alone."""
    name = request.sheet or ("framework" if request.framework else None)
    if not name:
        raise ExportError(_("Say which sheet to export (--sheet NAME) or which framework (--framework CODE)."))
    export = get_export(name)
    if export is None:
        known = ", ".join(e.name for e in exports())
        raise ExportError(_("No export named “%(name)s”; the exports are: %(known)s.") % {"name": name, "known": known})
    missing = export.missing(request)
    if missing:
        raise ExportError(
            _("The export “%(name)s” needs %(flags)s.")
            % {"name": name, "flags": ", ".join(ARGUMENT_FLAGS[arg] for arg in missing)}
        )
    return export


def run_export(request: ExportRequest, target) -> WorkbookWriter:
    """Write the chosen export to ``target`` (a path or a binary file). Raises ExportError for the user."""
    export = choose_export(request)
    book = WorkbookWriter()
    export.write(request, book)
    book.save(target)
    return book
