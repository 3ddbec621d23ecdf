"""The public station directory (/stations/): no login, built for a phone."""

from django.shortcuts import render

from renda.core.access import PUBLIC
from renda.core.paging import Paginator
from renda.core.views import RendaView

from . import posters, selectors
from .models import Station

# The kinds a constituent looks for; legislative points are listed too (they take comments on drafts).
PUBLIC_KINDS = Station.Kind.choices


class StationDirectoryView(RendaView):
    permission = PUBLIC

    def get(self, request):
        township = request.GET.get("township", "").strip()
        kind = request.GET.get("kind", "").strip()
        if kind not in Station.Kind.values:
            kind = ""
        q = request.GET.get("q", "").strip()[:50]
        stations = selectors.station_public_list(township_code=township, kind=kind, q=q)
        page = Paginator(stations, 20).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "townships": selectors.public_township_choices(),
            "kinds": PUBLIC_KINDS,
            "township": township,
            "kind": kind,
            "q": q,
        }
        return render(request, "network/public/directory.html", context)


class StationPublicView(RendaView):
    permission = PUBLIC

    def get(self, request, code):
        station = selectors.station_public_get(code=code)
        context = {
            "station": station,
            "opinion_url": posters.opinion_url(station, request=request),
            **selectors.station_public_detail(station=station),
        }
        return render(request, "network/public/station.html", context)
