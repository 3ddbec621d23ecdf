"""Forms of the media column."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import MultiPickerWidget

from .models import Article


class ArticleForm(PolicyForm):
    title = forms.CharField(label=_("标题"), max_length=120)
    published_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("来源"), max_length=100, initial=_("大方县人大常委会办公室"))
    author = forms.CharField(label=_("作者"), max_length=100, required=False)
    summary = forms.CharField(label=_("摘要"), max_length=200, required=False)
    body = forms.CharField(
        max_length=20000,
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("可使用段落、标题、列表、加粗、链接和本文图片；脚本、样式等会被自动清除"),
    )
    # Pickers: the deputies and the two years' activities of a province are tens of thousands.
    deputies = forms.ModelMultipleChoiceField(
        label=_("相关代表"),
        queryset=None,
        required=False,
        widget=MultiPickerWidget("media-deputy", placeholder=_("输入代表姓名搜索")),
    )

    activities = forms.ModelMultipleChoiceField(
        label=_("相关活动"),
        queryset=None,
        required=False,
        widget=MultiPickerWidget("media-activity", placeholder=_("输入活动名称搜索")),
        help_text=_("近两年本区域的代表活动"),
    )

    def __init__(self, *args, deputies, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies
        self.fields["activities"].queryset = activities
        if not self.is_bound and "published_on" not in self.initial:
            self.initial["published_on"] = timezone.localdate()


class ArticleFilterForm(PolicyForm):
    q = forms.CharField(max_length=100, label=_("标题或来源"), required=False)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Article.State.choices]
    )


class ImageForm(PolicyForm):
    image = forms.FileField(
        label=_("图片"), help_text=_("JPG、PNG、GIF 或 WebP，不超过10MB，自动缩小到1600像素以内")
    )
    caption = forms.CharField(label=_("图片说明"), max_length=100, required=False)
    insert = forms.BooleanField(label=_("插入到正文末尾"), required=False, initial=True)


class WithdrawForm(PolicyForm):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)
