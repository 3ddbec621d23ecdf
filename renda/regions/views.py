"""Browsing the region tree within one's jurisdiction."""

from django.shortcuts import render

from renda.core.access import scope_queryset
from renda.core.paging import Paginator
from renda.core.views import RendaView

from .models import Region
from .selectors import region_list


class RegionListView(RendaView):
    permission = "regions.view"

    def get(self, request):
        parent = None
        code = request.GET.get("parent", "")
        if code:
            parent = scope_queryset(Region.objects.all(), request.user).filter(code=code).first()
        if parent is None and request.user.region_id:
            parent = request.user.region
        regions = region_list(user=request.user, parent=parent, q=request.GET.get("q", "").strip())
        if request.GET.get("q"):
            regions = region_list(user=request.user, q=request.GET["q"].strip())
        page = Paginator(regions.select_related("parent"), 50).get_page(request.GET.get("page"))
        ancestors = []
        if parent is not None:
            codes = [c for c in parent.path.split("/") if c]
            ancestors = list(Region.objects.filter(code__in=codes).order_by("path"))
        return render(
            request,
            "regions/region_list.html",
            {"page": page, "parent": parent, "ancestors": ancestors, "q": request.GET.get("q", "")},
        )
