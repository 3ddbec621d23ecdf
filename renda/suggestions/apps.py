"""Deputies' suggestions and motions: the handling cycle, units' portal, 微实事 funds, statistics."""

from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    verbose_name = "建议议案"

    def ready(self):
        from renda.core.pickers import register_picker

        from . import queues, selectors

        queues.register()
        from .forms import suggestion_unit_search

        register_picker(
            "suggestion-unit",
            permission="suggestions.read",
            search=suggestion_unit_search,
            # The county beside the name: namesakes (县交通运输局) in every county.
            label=lambda unit: f"{unit.name}（{unit.region.name}）",
        )
        register_picker(
            "key-leader",
            permission="suggestions.manage",
            search=selectors.key_leader_search,
            label=lambda user: user.display_name,
        )
        register_picker(
            "lead-deputy",
            permission="suggestions.manage",
            search=selectors.lead_deputy_search,
            label=selectors.cosigner_label,
        )
        register_picker(
            "cosigner",
            permission="suggestions.read",
            search=selectors.cosigner_search,
            label=selectors.cosigner_label,
            params=("lead_deputy",),
        )
