"""Figures of the roll-up kept per county, so a city's or the province's dashboard reads a few
hundred small rows instead of counting every mandate, suggestion and opinion on each request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionFigures(models.Model):
    """The roll-up figures (renda/rollup/selectors.py, all but the points) of the rows of one county —
    or of rows kept at a city's or the province's own level, `path` then being that region's: year 0
    holds every figure over all years; a row per year holds the dated figures (suggestions by
    submission, opinions by receipt, activities by start) of that year alone. Written only by
    `figures_refresh` (the periodic job rollup_refresh), which replaces every row at once;
    `computed_at` is when, shown as 数据截至 on the dashboard."""

    path = models.CharField(_("区划路径"), max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), default=0)
    figures = models.JSONField(_("数字"), default=dict)
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("汇总数字")
        verbose_name_plural = _("汇总数字")
        constraints = [models.UniqueConstraint(fields=["path", "year"], name="rollup_figures_path_year")]

    def __str__(self):
        return f"{self.path} {self.year}"
