import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from duban.ledger.daily import jobs, run_daily


class Command(BaseCommand):
    help = "每日督办：运行全部每日任务（报送、到期、逾期、督办单提醒和督办升级阶梯）；每天运行一次，重复运行不重复提醒"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（默认今天），如 2020-10-28")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"日期格式不对：{options['date']}（应为 2020-10-28）", returncode=2) from None
        runs = run_daily(today)
        total = sum(run.made for run in runs)
        for run in runs:
            if run.made:
                self.stdout.write(f"{run.jurisdiction.name}：{run.name} 新提醒 {run.made} 条")
        self.stdout.write(f"共生成提醒 {total} 条（每日任务 {len(jobs())} 项）。")
        failed = [run for run in runs if run.error]
        if failed:
            for run in failed:
                self.stderr.write(f"{run.jurisdiction.name}：{run.name} 运行失败：{run.error}")
            raise CommandError(f"{len(failed)} 项每日任务运行失败", returncode=1)
