import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from duban.accounts.models import Jurisdiction
from duban.ledger.selectors import DUE_SOON_LABEL
from duban.ledger.services import reminders_generate


class Command(BaseCommand):
    help = f"生成台账提醒（本期进度待报送、{DUE_SOON_LABEL}的任务）；每天运行一次，重复运行不重复提醒"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（默认今天），如 2020-10-28")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"日期格式不对：{options['date']}（应为 2020-10-28）") from None
        total = 0
        for jurisdiction in Jurisdiction.objects.order_by("pk"):
            made = reminders_generate(actor=None, jurisdiction=jurisdiction, today=today)
            total += made
            if made:
                self.stdout.write(f"{jurisdiction.name}：新提醒 {made} 条")
        self.stdout.write(f"共生成提醒 {total} 条。")
