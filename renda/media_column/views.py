"""Media column pages for county staff (/media-column/) and the public pages (/news/)."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renda.core.access import PUBLIC
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator
from renda.core.views import RendaView

from . import selectors, services
from .forms import ArticleFilterForm, ArticleForm, ImageForm, WithdrawForm
from .models import Article


class ArticleListView(RendaView):
    permission = "media.manage"

    def get(self, request):
        form = ArticleFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        articles = selectors.article_list(user=request.user, **{k: v for k, v in filters.items() if v})
        page = Paginator(articles, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request,
            "media_column/article_list.html",
            "media_column/_article_rows.html",
            {"form": form, "page": page},
        )


class ArticleEditView(RendaView):
    """Write a new article (no pk) or edit one of the user's region."""

    permission = "media.manage"

    def _article(self, request, pk):
        return None if pk is None else selectors.article_get(user=request.user, pk=pk)

    def _context(self, request, article, form=None, image_form=None, withdraw_form=None):
        deputies = selectors.deputy_choices(user=request.user)
        activities = selectors.activity_choices(user=request.user)
        if form is None:
            initial = {}
            if article is not None:
                initial = {f: getattr(article, f) for f in services.ARTICLE_FIELDS}
                initial["deputies"] = [d.pk for d in article.deputies.all()]
                initial["activities"] = [a.pk for a in article.activities.all()]
            form = ArticleForm(initial=initial, deputies=deputies, activities=activities)
        return {
            "form": form,
            "article": article,
            "image_form": image_form or ImageForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "images": list(article.images.all()) if article else [],
        }

    def get(self, request, pk=None):
        article = self._article(request, pk)
        return render(request, "media_column/article_form.html", self._context(request, article))

    def post(self, request, pk=None):
        article = self._article(request, pk)
        form = ArticleForm(
            request.POST,
            deputies=selectors.deputy_choices(user=request.user),
            activities=selectors.activity_choices(user=request.user),
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            deputies = list(data.pop("deputies"))
            activities = list(data.pop("activities"))
            try:
                if article is None:
                    if request.user.region_id is None:
                        raise DomainError(_("您的账号没有所属区域，不能撰写文章"), field="title")
                    article = services.article_create(
                        actor=request.user,
                        region=request.user.region,
                        deputies=deputies,
                        activities=activities,
                        **data,
                    )
                else:
                    article = services.article_update(
                        actor=request.user,
                        article=article,
                        data=data,
                        deputies=deputies,
                        activities=activities,
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("文章已保存。"))
                return redirect("media_column:edit", pk=article.pk)
        return render(
            request, "media_column/article_form.html", self._context(request, article, form=form), status=400
        )


class ArticleImageView(ArticleEditView):
    def post(self, request, pk):
        article = self._article(request, pk)
        form = ImageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.article_image_add(
                    actor=request.user,
                    article=article,
                    upload=form.cleaned_data["image"],
                    caption=form.cleaned_data["caption"],
                    insert=form.cleaned_data["insert"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("图片已上传。"))
                return redirect("media_column:edit", pk=article.pk)
        return render(
            request,
            "media_column/article_form.html",
            self._context(request, article, image_form=form),
            status=400,
        )


class ArticlePublishView(ArticleEditView):
    def post(self, request, pk):
        article = self._article(request, pk)
        try:
            services.article_publish(actor=request.user, article=article)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("文章已发布。"))
        return redirect("media_column:edit", pk=article.pk)


class ArticleWithdrawView(ArticleEditView):
    def post(self, request, pk):
        article = self._article(request, pk)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.article_withdraw(
                    actor=request.user, article=article, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("文章已撤回。"))
                return redirect("media_column:edit", pk=article.pk)
        return render(
            request,
            "media_column/article_form.html",
            self._context(request, article, withdraw_form=form),
            status=400,
        )


# ---------- public ----------


class PublicListView(RendaView):
    permission = PUBLIC

    def get(self, request):
        q = request.GET.get("q", "").strip()[:50]
        page = Paginator(selectors.public_article_list(q=q), 20).get_page(request.GET.get("page"))
        return render(request, "media_column/public/list.html", {"page": page, "q": q})


class PublicDetailView(RendaView):
    permission = PUBLIC

    def get(self, request, pk):
        article = selectors.public_article_get(pk=pk)
        return render(
            request, "media_column/public/detail.html", {"article": article, "state": Article.State}
        )


class PublicImageView(RendaView):
    permission = PUBLIC

    def get(self, request, pk):
        image = selectors.image_for(user=request.user, pk=pk)
        response = FileResponse(image.file.open("rb"), content_type=image.content_type)
        response["Cache-Control"] = (
            "public, max-age=86400" if image.article.state == Article.State.PUBLISHED else "private, no-store"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
