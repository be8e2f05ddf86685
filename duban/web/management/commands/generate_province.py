import time

from django.core.management.base import BaseCommand, CommandError

from duban.web.province import generate_province, generated_already, progress_bar


class Command(BaseCommand):
    help = "生成一个省的测试数据（18 个辖区、3000 个单位、10 万项任务……按 --scale 取比例），用于在省级规模下测量页面"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01, help="规模，0.01 至 1（1 为全省）；默认 0.01")

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 0 < scale <= 1:
            raise CommandError(f"--scale 应在 0.01 至 1 之间，而不是 {scale}", returncode=2)
        if generated_already():
            raise CommandError("数据库中已有生成的省级数据；请在新的空数据库上运行（先 migrate）", returncode=2)
        started = time.monotonic()
        province = generate_province(scale=scale, progress=progress_bar(self.stderr._out))
        counts = "，".join(f"{kind} {n}" for kind, n in province.counts.items())
        self.stdout.write(
            f"已生成规模 {scale} 的省级数据（{province.jurisdictions} 个辖区）：{counts}；用时 {time.monotonic() - started:.0f} 秒"
        )
