"""Organisations (机构): the standing committee, its work bodies, townships' presidiums, handling units."""

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "renda.organizations"
    verbose_name = "机构"
