from django.db import migrations
from pgvector.django import VectorExtension


class Migration(migrations.Migration):
    """pgvector: embeddings of listings for semantic search and matching."""

    dependencies = [("matching", "0002_broker_and_feedback")]

    operations = [VectorExtension()]
