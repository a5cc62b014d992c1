from django.contrib import admin

from identities.models import FeatureFlag


@admin.register(FeatureFlag)
class FeatureFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "enabled", "message", "updated_at"]
    list_editable = ["enabled"]
