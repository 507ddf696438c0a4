"""Background work of the imports app (django-tasks; `make run` starts the db_worker): the
check of an uploaded history import, and its confirmed run."""

from django_tasks import task


@task()
def history_import_check(history_import_id: int) -> str:
    """The dry run of an upload: its report of bad rows, nothing saved."""
    from beacon.imports.services import history_import_background_run  # services queue this

    return history_import_background_run(history_import_id=history_import_id, dry_run=True).status


@task()
def history_import_apply(history_import_id: int) -> str:
    """The confirmed import: everything in one transaction, or nothing."""
    from beacon.imports.services import history_import_background_run

    return history_import_background_run(history_import_id=history_import_id, dry_run=False).status
