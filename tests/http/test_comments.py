"""Comments through HTTP: any language, trimmed, and the conversation read oldest first, page by
page. (Who may write internal notes and who reads them: test_permissions.)"""

from __future__ import annotations

from .conftest import World, assert_problem


def test_comments_in_any_language_and_trimmed(world: World) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}/comments"
    for text in ("Thanks, it works now!", "ا" * 5000, "  شكرا  "):
        response = world.request("POST", path, world.user, json={"body": text})
        assert response.status_code == 201, response.text
        assert response.json()["body"] == text.strip()


def test_comments_page_oldest_first(world: World) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}/comments"
    bodies = [f"تعليق رقم {n}" for n in range(5)]
    for body in bodies:
        assert world.request("POST", path, world.user, json={"body": body}).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        page = world.request("GET", f"{path}?limit=2{suffix}", world.user).json()
        assert len(page["items"]) <= 2
        seen += [c["body"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == bodies
    assert_problem(world.request("GET", f"{path}?limit=0", world.user), 422)
    assert_problem(world.request("GET", f"{path}?limit=201", world.user), 422)
    # Comments are no change to the ticket: its version stays.
    assert world.request("GET", f"/api/v1/tickets/{ticket['id']}", world.user).json() == ticket
