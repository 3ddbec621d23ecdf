"""The inbox: the user's notifications, newest first, and marking them read."""

from django.shortcuts import redirect, render

from renda.core.paging import Paginator
from renda.core.views import RendaView

from . import selectors, services


class InboxView(RendaView):
    """Served at /notifications/ and, for the handling units' bookmarks, at /suggestions/notifications/."""

    permission = selectors.VIEW

    def get(self, request):
        page = Paginator(selectors.notification_list(user=request.user), 30).get_page(request.GET.get("page"))
        return render(request, "notifications/inbox.html", {"page": page})

    def post(self, request):
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        if request.POST.get("all") == "1":
            ids = list(selectors.notification_list(user=request.user).values_list("pk", flat=True))
        services.notification_read(user=request.user, notification_ids=ids)
        return redirect(request.path)
