"""Record the courses that leave the public catalog, and index published courses by last change.

``CourseWithdrawal``: one row per slug a course was public under and is no longer (unpublished,
deleted, slug changed), with the institutions and disciplines it had then; machines that copied
the catalog (OAI-PMH's persistent deleted records) learn from it what is gone. No existing
course is backfilled: before this migration nothing recorded what had left.

A partial index on published courses ``(updated_at, id)``: harvesters page through the catalog
in that order, each page a range scan from the last key seen.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_courses_hosted_elsewhere'),
        ('institutions', '0001_create_institutions'),
    ]

    operations = [
        migrations.CreateModel(
            name='CourseWithdrawal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name="identifiant d'URL")),
                ('code', models.CharField(max_length=40, verbose_name='code')),
                ('withdrawn_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='retiré le')),
            ],
            options={
                'verbose_name': 'cours retiré du catalogue',
                'verbose_name_plural': 'cours retirés du catalogue',
            },
        ),
        migrations.AddIndex(
            model_name='course',
            index=models.Index(condition=models.Q(('is_published', True)), fields=['updated_at', 'id'], name='catalog_course_by_last_change'),
        ),
        migrations.AddField(
            model_name='coursewithdrawal',
            name='disciplines',
            field=models.ManyToManyField(blank=True, related_name='+', to='catalog.discipline'),
        ),
        migrations.AddField(
            model_name='coursewithdrawal',
            name='institutions',
            field=models.ManyToManyField(blank=True, related_name='+', to='institutions.institution'),
        ),
        migrations.AddIndex(
            model_name='coursewithdrawal',
            index=models.Index(fields=['withdrawn_at', 'id'], name='catalog_withdrawal_by_date'),
        ),
    ]
