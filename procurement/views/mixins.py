from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DraftOnlyMixin:
    """Edit and delete pages of a document exist only while it is a draft; the status is
    checked again under a lock when saving (it may have moved on since the page opened)."""

    def get_queryset(self):
        return super().get_queryset().filter(status="draft")

    def save_form(self, form):
        if (
            form.instance.pk
            and not self.model.objects.select_for_update()
            .filter(pk=form.instance.pk, status="draft")
            .exists()
        ):
            raise ValidationError(_("Only a draft can be edited, and this one has moved on."))
        return super().save_form(form)
