"""The 督办设置 page shows the jurisdiction's own settings, the county's as it extends the city's."""

from django.urls import reverse

from duban.accounts.services import person_create
from tests.factories import county_create, login_create


def test_the_city_and_its_county_each_read_their_own_settings(client, city):
    county = county_create(city)
    city.code, county.code = "zhumadian", "yicheng"
    city.save(update_fields=["code"])
    county.save(update_fields=["code"])
    for jurisdiction, window, warning in ((city, "2 个工作日", "3 日内到期"), (county, "1 个工作日", "5 日内到期")):
        person = person_create(
            actor=None, jurisdiction=jurisdiction, name=f"督查{jurisdiction.pk}", role="督查室工作人员"
        )
        client.force_login(login_create(f"office{jurisdiction.pk}", person, password="pw-settings-2020"))
        page = client.get(reverse("ledger:supervision_settings")).content.decode()
        assert f"交办后 {window}内签收" in page
        assert warning in page
        assert "建议立案问责" in page and "完成时限后 15 天" in page
        assert "驻政〔2020〕24号第六条" in page
        assert "2020、2021年按国务院办公厅公布的节假日安排" in page
