# Indexes of the characters of the home units and host units' names (PostgreSQL only): they
# answer searches for words too short for a trigram index (王浩, 王), as
# cadreprog/textsearch.py writes them.

from django.db import migrations

from cadreprog.pg import postgresql_only
from cadreprog.textsearch import chars_index


class Migration(migrations.Migration):
    dependencies = [("placements", "0008_roster_upload_background")]

    operations = [
        postgresql_only(*chars_index("placements_placement", "home_unit")),
        postgresql_only(*chars_index("placements_hostunit", "name")),
    ]
