"""`lone_working_check`: alert the duty manager of every volunteer past their check-out time
on an outreach shift (once each). Run every 5 minutes (cron, or a django-tasks periodic
job): the alert is as late as the gap between runs."""

from django.core.management.base import BaseCommand

from beacon.volunteers.services import check_outs_overdue_alert


class Command(BaseCommand):
    help = "Alert duty managers of volunteers who have not checked out of outreach in time."

    def handle(self, *args, **options) -> None:
        alerted = check_outs_overdue_alert()
        self.stdout.write(f"{alerted} overdue check-outs alerted to the duty manager")
