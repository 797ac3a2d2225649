"""Standard texts: sentences many pages share, edited once (e.g. the storage warning).

A page includes one through the "Standard text" block (catalog/blocks.py). The block
stores a reference, so Wagtail's reference index lists the pages on the snippet's
usage view, and any edit of the snippet reaches every page that uses it.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import RevisionMixin
from wagtail.search import index

from .blocks import SECTION_FEATURES


class StandardText(RevisionMixin, index.Indexed, models.Model):
    title = models.CharField(
        max_length=120,
        unique=True,
        help_text="How editors find it, e.g. 'Keep out of reach of children'.",
    )
    text = RichTextField(features=SECTION_FEATURES, help_text="The text every page shows.")

    panels = [FieldPanel("title"), FieldPanel("text")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = "standard text"

    def __str__(self):
        return self.title
