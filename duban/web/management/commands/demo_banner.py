from django.core.management.base import BaseCommand

from duban import clock
from duban.web.demo import demo_logins


class Command(BaseCommand):
    help = "显示演示地址和登录账号"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="the port the demo is served on")

    def handle(self, *args, **options):
        site = f"http://127.0.0.1:{options['port']}"
        day = clock.fixed_today()
        lines = [
            "",
            "督办 · 督查落实管理平台（演示）",
            *([f"  系统日期：{day.year}年{day.month}月{day.day}日（DUBAN_TODAY，演示故事的日期）"] if day else []),
            f"  首页（月排名）：{site}",
            f"  管理后台：      {site}/admin/",
            "  登录账号：",
        ]
        for login in demo_logins():
            lines.append(f"    {login['username']} / {login['password']}  {login['label']}")
        lines += ["  命令行：DUBAN_DEBUG=1 .venv/bin/duban rank --month 2020-07", "  按 Ctrl+C 停止。", ""]
        self.stdout.write("\n".join(lines))
