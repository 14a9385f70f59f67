"""`GET /api/v1/stats/dev/config` shows the effective settings without their credentials."""

from __future__ import annotations

from .conftest import SECRET, assert_problem, bearer, make_world

ISSUER = "https://issuer.example/?Token=pw-issuer"


def test_dev_config_masks_every_credential() -> None:
    with make_world(
        classifier_url="https://classifier.internal/?api_key=pw-classifier&mode=fast",
        mail_imap_url="imaps://desk:pw-imap@mail.example.org/INBOX?starttls=false",
        jwt_issuer=ISSUER,
        mail_smtp_url="smtps://desk:pw-smtp@mail.example.org:465",
    ) as world:
        response = world.client.get(
            "/api/v1/stats/dev/config", headers=bearer(world.admin, iss=ISSUER)
        )
        assert response.status_code == 200, response.text
        shown = response.json()
        assert "pw-" not in response.text and SECRET not in response.text
        assert shown["jwt_secret"] == "********"
        assert shown["classifier_url"] == (
            "https://classifier.internal/?api_key=********&mode=fast"
        )
        assert shown["mail_imap_url"] == (
            "imaps://desk:********@mail.example.org/INBOX?starttls=false"
        )
        assert shown["jwt_issuer"] == "https://issuer.example/?Token=********"
        assert shown["mail_smtp_url"] == "smtps://desk:********@mail.example.org:465"
        assert shown["mail_done_folder"] == "Processed"
        assert_problem(
            world.client.get("/api/v1/stats/dev/config", headers=bearer(world.user, iss=ISSUER)),
            403,
        )
