"""通知渠道 and 提醒发送记录 in the admin (imported by duban/ledger/admin.py).

A 督查室 clerk keeps their own jurisdiction's group robots (the Django permissions of demo/people.yaml);
every save goes through channels.channel_create / channel_update (validation, audit row). The 加签 secret
is never shown again once saved: left empty on a change it stays as it is. Deliveries are read-only:
the worker writes them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from duban.accounts.admin_tools import ReadOnlyAdmin, ScopedByJurisdiction, ServiceAdmin, changed, created
from duban.ledger import channels
from duban.ledger.models import Delivery, NotificationChannel
from duban.ledger.notify import masked_url


class ChannelForm(forms.ModelForm):
    url = forms.URLField(
        label="Webhook 地址", max_length=500, assume_scheme="https", help_text="机器人设置页面复制的完整地址"
    )
    secret = forms.CharField(
        label="加签密钥",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="钉钉机器人“加签”的密钥（SEC 开头）；企业微信留空。已保存的密钥不再显示，修改时留空即保持不变。",
    )
    clear_secret = forms.BooleanField(label="清除加签密钥", required=False)

    class Meta:
        model = NotificationChannel
        fields = ("jurisdiction", "unit", "kind", "name", "url", "secret", "active")


@admin.register(NotificationChannel)
class NotificationChannelAdmin(ScopedByJurisdiction, ServiceAdmin):
    form = ChannelForm
    list_display = ("name", "kind", "jurisdiction", "unit", "shown_url", "active")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("jurisdiction", "unit")
    list_filter = ("jurisdiction", "kind", "active")
    search_fields = ("name", "unit__name")
    autocomplete_fields = ("unit",)

    @admin.display(description="Webhook 地址")
    def shown_url(self, obj: NotificationChannel) -> str:
        return masked_url(obj.url)

    def get_fields(self, request, obj=None):
        fields = ("jurisdiction", "unit", "kind", "name", "url", "secret", "active")
        return (*fields, "clear_secret") if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return ("jurisdiction",) if obj else ()

    def call_service(self, *, actor, form, obj, change):
        if change:
            data = changed(form, channels.CHANNEL_UPDATABLE_FIELDS)
            data.pop("secret", None)
            if form.cleaned_data.get("secret"):
                data["secret"] = form.cleaned_data["secret"]
            elif form.cleaned_data.get("clear_secret"):
                data["secret"] = ""
            return channels.channel_update(actor=actor, channel=obj, data=data)
        return channels.channel_create(
            actor=actor, **created(form, ("jurisdiction", "unit", "kind", "name", "url", "secret", "active"))
        )


@admin.register(Delivery)
class DeliveryAdmin(ScopedByJurisdiction, ReadOnlyAdmin):
    """Each sending of a reminder (e-mail, a robot), its tries and why they failed: the worker's to write."""

    jurisdiction_path = "reminder__recipient__person__jurisdiction"
    list_display = ("reminder", "notifier", "channel", "address", "state", "attempts", "created", "sent_at")
    # nullable keys too (the admin's own select_related() follows only the others)
    list_select_related = ("reminder", "channel")
    list_filter = ("state", "notifier")
    search_fields = ("reminder__text", "address")
    fields = ("reminder", "notifier", "channel", "address", "state", "attempts", "error", "created", "sent_at")
    readonly_fields = fields
