# Indexes of the characters of the cadres' names and ID numbers (PostgreSQL only): they answer
# searches for words too short for a trigram index (王浩, 王), as cadreprog/textsearch.py
# writes them.

from django.db import migrations

from cadreprog.pg import postgresql_only
from cadreprog.textsearch import chars_index


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0009_batch_wechat_webhook_historicalbatch_wechat_webhook")]

    operations = [
        postgresql_only(*chars_index("cohorts_cadre", "name")),
        postgresql_only(*chars_index("cohorts_cadre", "id_number")),
    ]
