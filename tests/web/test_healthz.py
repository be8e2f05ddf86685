"""/healthz/: the monitor's and the load balancer's check, and the web benchmark's trivial view."""


def test_healthz_answers_ok_without_a_login_or_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
