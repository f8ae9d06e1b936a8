# An index of the characters of the cadres' names (PostgreSQL only): it answers searches for
# words too short for a trigram index (王浩, 王), as cadreprog/textsearch.py writes them. ID
# numbers have none: a short word of digits is in nearly every one, and a word of anything
# else is never looked for in them (placements/search.py may_be_in_id_number).

from django.db import migrations

from cadreprog.pg import postgresql_only
from cadreprog.textsearch import chars_index


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0009_batch_wechat_webhook_historicalbatch_wechat_webhook")]

    operations = [
        postgresql_only(*chars_index("cohorts_cadre", "name")),
    ]
