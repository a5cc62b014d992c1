from django.contrib import admin

from identities.models import BlockedTerm, FeatureFlag


@admin.register(FeatureFlag)
class FeatureFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "enabled", "message", "updated_at"]
    list_editable = ["enabled"]


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    """Real people's names briefs may not use; a change applies to the next request."""

    list_display = ["term", "category", "note", "created_at"]
    list_filter = ["category"]
    search_fields = ["term", "normalized", "note"]
    fields = ["term", "category", "note", "normalized", "created_at", "updated_at"]
    readonly_fields = ["normalized", "created_at", "updated_at"]
