# Uploaded rosters wait in the database between preview and confirmation (issue 7).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cohorts', '0004_search_indexes'),
        ('placements', '0003_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RosterUpload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32, unique=True, verbose_name='token')),
                ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                ('data', models.BinaryField(verbose_name='file content')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='uploaded at')),
                ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='cohorts.batch', verbose_name='batch')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'uploaded roster',
                'verbose_name_plural': 'uploaded rosters',
            },
        ),
    ]
