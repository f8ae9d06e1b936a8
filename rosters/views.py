"""A batch's handouts on the web: /batches/<code>/print/ (the 花名册 to print, ?group=1 a
section per group) and /batches/<code>/contacts/ (the 通讯录; ?format=xlsx or ?format=vcf).

Access: logged in with placements.view_placement (staff and leads), and the batch among those
`visible_to` the user; any other batch is 404, as on the lead's pages. Whatever leaves the site
(the print page, the downloads) is in the access log as an export.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from placements.models import Placement
from security.services import export_record
from spreadsheets.formulas import CONTENT_TYPES

from . import handouts

CONTACT_FORMATS = {
    "xlsx": CONTENT_TYPES["xlsx"],
    "vcf": "text/vcard; charset=utf-8",
}


def can_view(view):
    return login_required(
        permission_required("placements.view_placement", raise_exception=True)(view)
    )


def _batch(request, code):
    batch = handouts.batch_visible_by_code(user=request.user, code=code)
    if batch is None:
        raise Http404(_("No such batch."))
    return batch


@can_view
def batch_print(request, code):
    batch = _batch(request, code)
    by_group = request.GET.get("group") == "1"
    export_record(
        Placement.objects.filter(batch=batch), user=request.user, where=request.get_full_path()
    )
    return render(
        request,
        "rosters/print.html",
        {
            "batch": batch,
            "title": handouts.roster_title(batch),
            "sections": handouts.print_sections(batch, by_group=by_group),
            "by_group": by_group,
        },
    )


@can_view
def batch_contacts(request, code):
    batch = _batch(request, code)
    contacts = handouts.contact_list(batch)
    fmt = request.GET.get("format", "")
    if not fmt:
        return render(request, "rosters/contacts.html", {"batch": batch, "contacts": contacts})
    if fmt not in CONTACT_FORMATS:
        return HttpResponseBadRequest(_("Download as xlsx or vcf."))
    filename = f"{batch}-{_('contact list')}-{localdate():%Y-%m-%d}.{fmt}"
    export_record(Placement.objects.filter(batch=batch), user=request.user, where=filename)
    content = handouts.contacts_xlsx(contacts) if fmt == "xlsx" else handouts.contacts_vcf(contacts)
    response = HttpResponse(content, content_type=CONTACT_FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
