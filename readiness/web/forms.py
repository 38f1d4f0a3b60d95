"""Forms of the web pages: they check the shape of the input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from readiness.imports import spreadsheet
from readiness.imports.bundle import BODY_MAX_LENGTH, EDITABLE_FIELDS
from readiness.models import ImageKind


class PictureForm(forms.Form):
    """A listing picture uploaded on the listing page (its text is read on the workers)."""

    image = forms.ImageField(label=_("图片"), help_text=_("PNG、JPEG、WebP 或 GIF；文字识别在后台进行。"))
    kind = forms.ChoiceField(label=_("图片类型"), choices=ImageKind.choices, initial=ImageKind.DETAIL)

    def clean_image(self) -> Any:
        image = self.cleaned_data["image"]
        if image.size > settings.IMAGE_MAX_BYTES:
            raise forms.ValidationError(
                _("图片不能超过 %(mb)s MB。") % {"mb": settings.IMAGE_MAX_BYTES // (1024 * 1024)}
            )
        # ImageField has opened it with Pillow; only formats a browser shows are kept (no SVG, no TIFF).
        if getattr(image, "image", None) is None or image.image.format not in PICTURE_FORMATS:
            raise forms.ValidationError(_("只支持 PNG、JPEG、WebP 或 GIF 图片。"))
        return image


# Picture formats accepted and served back (content type by Pillow's format name).
PICTURE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("豁免理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("说明为什么可以接受这个问题（例如：已取得证明材料）。"),
    )
    expires_at = forms.DateTimeField(
        label=_("有效期至（可选）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_expires_at(self) -> Any:
        value = self.cleaned_data.get("expires_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("有效期必须晚于现在。"))
        return value


class EditForm(forms.Form):
    """One field of a listing: title, subtitle, description or ``specs.<name>``."""

    field = forms.CharField(max_length=120)
    # Only the size of the request is bounded here: the service validates the text (bundle.validate_listing_text).
    value = forms.CharField(required=False, strip=False, max_length=BODY_MAX_LENGTH)

    def clean_field(self) -> str:
        name = self.cleaned_data["field"]
        if (name in EDITABLE_FIELDS and name != "specs") or (name.startswith("specs.") and len(name) > len("specs.")):
            return name
        raise forms.ValidationError(_("这个字段不能在这里修改。"))


class ApplyForm(forms.Form):
    finding = forms.IntegerField(min_value=1)
    choice = forms.IntegerField(min_value=0, required=False, initial=0)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("JSON 备战数据包，或从平台后台导出的商品表格（.xlsx / .csv）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xlsx,.csv,application/json,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.BUNDLE_MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大（最大 %(limit)d MB）。") % {"limit": settings.BUNDLE_MAX_BYTES // 2**20}
            )
        name = upload.name.lower()
        if not name.endswith((".json", ".xlsx", ".xlsm", ".csv", ".txt", ".tsv")):
            raise forms.ValidationError(_("只支持 .json、.xlsx 和 .csv 文件。"))
        return upload


def mapping_from_post(data: Any, headers: list[str]) -> list[str] | None:
    """The column mapping the user submitted (``map-<i>`` per column), or None if the form had none."""
    if not any(f"map-{i}" in data for i in range(len(headers))):
        return None
    known = {key for key, _ in spreadsheet.CHOICES}
    mapping = []
    for i in range(len(headers)):
        value = data.get(f"map-{i}", spreadsheet.IGNORE)
        mapping.append(value if value in known else spreadsheet.IGNORE)
    return mapping
