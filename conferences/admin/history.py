"""The admin's history pages: django-simple-history's, with the right to restore checked."""

import base64
import hashlib

from csp.decorators import csp_update
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.decorators import method_decorator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

# simple-history's history list (simple_history/object_history_list.html) has one inline style
# attribute, on its paginator. The Content-Security-Policy allows exactly that declaration, by
# its hash, on the history list only (tests/test_deploy.py checks the template still has it).
HISTORY_LIST_STYLE = "border-top: 0"
HISTORY_LIST_STYLE_HASH = base64.b64encode(hashlib.sha256(HISTORY_LIST_STYLE.encode()).digest())
HISTORY_LIST_CSP = {
    "style-src-attr": ["'unsafe-hashes'", f"'sha256-{HISTORY_LIST_STYLE_HASH.decode()}'"]
}


class ArchiveHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with gaps closed: a posted revert needs the right to change the object
    (simple-history hides the Revert button but saves after checking the view right only) and
    the object must still exist (a deleted one is not brought back from its history),
    and a revert restores the many-to-many fields history keeps (a statement's topics) rather
    than showing the current ones."""

    @method_decorator(csp_update(HISTORY_LIST_CSP))
    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                # Bringing a deleted row back would revive ids that now answer 410 Gone and
                # skip the workflow: re-create it instead.
                raise Http404("This was deleted; it cannot be restored from its history.")
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        record = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)  # the version shown
        if record is None:
            return form
        kept = {
            field.name: [
                getattr(row, f"{get_m2m_reverse_field_name(field)}_id")
                for row in getattr(record, field.name).all()
            ]
            for field in record._history_m2m_fields
            if field.name in form.base_fields
        }

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**kept, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return VersionForm
