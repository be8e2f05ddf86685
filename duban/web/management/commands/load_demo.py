from django.core.management.base import BaseCommand, CommandError

from duban.errors import InputError
from duban.web.demo import DEMO_DIR, load_demo


class Command(BaseCommand):
    help = "载入演示数据（demo/*.yaml），经服务函数写入；重复运行不会重复写入"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEMO_DIR), help="演示数据目录（默认：项目的 demo/）")

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            report = load_demo(
                Path(options["dir"]),
                log=lambda line: self.stdout.write(f"  {line}") if options["verbosity"] > 1 else None,
            )
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
