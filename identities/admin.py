from django.contrib import admin

from identities.models import (
    BlockedTerm,
    ConsentRecord,
    Draft,
    FeatureFlag,
    Identity,
    ImageRun,
    Job,
    Preset,
    RunOutput,
    UploadedAsset,
    Webhook,
)


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


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "account",
        "tier",
        "preprocessing_status",
        "engine",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["tier", "preprocessing_status", "hidden"]
    search_fields = ["name", "code", "account__name"]
    list_select_related = ["account"]
    readonly_fields = [
        "code",
        "account",
        "source_draft",
        "creation_job",
        "preprocessing_job",
        "engine",
        "seed",
        "brief",
        "prompt",
        "embedding_model",
        "created_by",
        "created_at",
        "updated_at",
    ]
    exclude = ["embedding"]


class DraftInline(admin.TabularInline):
    model = Draft
    extra = 0
    can_delete = False
    fields = [
        "id",
        "image_index",
        "variation",
        "status",
        "engine",
        "credits",
        "attempts",
        "error_message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "job_type",
        "account",
        "status",
        "name",
        "created_at",
        "finished_at",
    ]
    list_filter = ["job_type", "status"]
    search_fields = ["public_id", "name", "account__name"]
    list_select_related = ["account"]
    readonly_fields = [f.name for f in Job._meta.fields]
    inlines = [DraftInline]

    def has_add_permission(self, request):
        return False


@admin.register(UploadedAsset)
class UploadedAssetAdmin(admin.ModelAdmin):
    list_display = ["filename", "file_id", "account", "status", "width", "height", "created_at"]
    list_filter = ["status"]
    search_fields = ["filename", "file_id", "account__name"]
    list_select_related = ["account"]


@admin.register(Preset)
class PresetAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "created_at"]
    search_fields = ["name", "account__name"]
    list_select_related = ["account"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "account", "is_active", "last_response_status", "last_response_at"]
    exclude = ["secret"]
    list_select_related = ["account"]


class RunOutputInline(admin.TabularInline):
    model = RunOutput
    extra = 0
    can_delete = False
    # Never the data-URI itself: privacy-mode images are not for staff to browse.
    fields = ["index", "image", "width", "height", "seed", "engine", "face_similarity"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImageRun)
class ImageRunAdmin(admin.ModelAdmin):
    """Read-mostly: runs change only through their services (credits settle there)."""

    list_display = ["public_id", "account", "identity", "status", "engine", "created_at"]
    list_filter = ["status", "engine", "source"]
    search_fields = ["public_id", "account__name", "identity__code"]
    list_select_related = ["account", "identity"]
    readonly_fields = [f.name for f in ImageRun._meta.fields if f.name != "references"]
    exclude = ["references"]
    inlines = [RunOutputInline]

    def has_add_permission(self, request):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Read-only: a consent record proves what was agreed, so nobody edits or deletes one."""

    list_display = ["identity", "account", "accepted_by_email", "statements_version", "accepted_at"]
    list_select_related = ["identity", "account"]
    search_fields = ["identity__code", "identity__name", "accepted_by_email"]
    readonly_fields = [
        "identity",
        "account",
        "statements_version",
        "statements",
        "accepted_keys",
        "accepted_by",
        "accepted_by_email",
        "accepted_at",
        "ip_address",
        "user_agent",
        "close_up_sha256",
        "full_body_sha256",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
