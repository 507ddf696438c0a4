"""Migration 0006 marks the licences and supervisions 0005 left without an end date, guesses
no date for them, and from then on the database refuses any other without one (H-280)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("justice", "0005_licence_and_supervision_end_dates")]
AFTER = [("justice", "0006_licence_has_an_end_date")]
DAY = datetime.date(2026, 1, 5)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_licences_without_an_end_date_are_marked_not_dated_and_no_new_one_is_let_in():
    old = migrate(BEFORE)
    provider = old.get_model("core", "Provider").objects.create(name="Old Service", code="OLD")
    team = old.get_model("core", "Team").objects.create(provider=provider, name="Old team")
    user = old.get_model("core", "User").objects.create(
        username="old-keyworker", provider=provider, role="keyworker"
    )
    client = old.get_model("clients", "Client").objects.create(
        provider=provider,
        team=team,
        client_number="OLD000001",
        first_name="Test",
        last_name="Person",
        date_of_birth=datetime.date(1980, 1, 1),
        sex="F",
        ethnicity="NS",
    )
    Status = old.get_model("justice", "JusticeStatus")
    row = {"provider": provider, "client": client, "start_date": DAY, "recorded_by": user}
    undated = Status.objects.create(**row, kind="licence").pk
    ended = Status.objects.create(
        **row, kind="post_sentence_supervision", ended_on=DAY, end_reason="completed"
    ).pk
    dated = Status.objects.create(
        **row, kind="licence", supervision_end=DAY + datetime.timedelta(days=90)
    ).pk
    caution = Status.objects.create(**row, kind="conditional_caution").pk

    new = migrate(AFTER)
    Status = new.get_model("justice", "JusticeStatus")
    marked = set(Status.objects.filter(recorded_before_end_dates=True).values_list("pk", flat=True))
    assert marked == {undated, ended}
    assert Status.objects.get(pk=undated).supervision_end is None  # no date guessed
    assert Status.objects.get(pk=dated).supervision_end == DAY + datetime.timedelta(days=90)
    assert not Status.objects.get(pk=caution).recorded_before_end_dates
    with pytest.raises(IntegrityError), transaction.atomic():
        Status.objects.create(
            provider_id=provider.pk,
            client_id=client.pk,
            start_date=DAY,
            recorded_by_id=user.pk,
            kind="licence",
        )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
