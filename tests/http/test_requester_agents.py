"""An agent who files a ticket that lands in another department is its requester there: the
same view as an end user — no internal notes, no internal note of their own, no audit trail."""

from __future__ import annotations

from .conftest import PRINTER, World, assert_problem


def test_an_agent_requester_sees_no_internal_notes_and_cannot_write_them(world: World) -> None:
    requester = world.finance_agent  # files a printer ticket, routed to it-support
    ticket = world.file(requester, PRINTER)
    assert ticket["department_id"] == str(world.departments["it-support"].id)
    path = f"/api/v1/tickets/{ticket['id']}"
    staff = world.it_agents[0]
    note = world.request(
        "POST", f"{path}/comments", staff, json={"body": "ملاحظة للفريق", "internal": True}
    )
    assert note.status_code == 201, note.text
    reply = world.request("POST", f"{path}/comments", staff, json={"body": "نعمل عليها"})
    assert reply.status_code == 201, reply.text

    seen = world.request("GET", f"{path}/comments", requester).json()["items"]
    assert [c["body"] for c in seen] == ["نعمل عليها"]
    assert_problem(
        world.request("POST", f"{path}/comments", requester, json={"body": "سر", "internal": True}),
        403,
    )
    assert_problem(world.request("GET", f"{path}/audit", requester), 403)
    # A public comment is theirs to write, as for any requester.
    own = world.request("POST", f"{path}/comments", requester, json={"body": "شكرًا لكم"})
    assert own.status_code == 201, own.text

    # The ticket's own department still sees everything.
    staff_view = world.request("GET", f"{path}/comments", staff).json()["items"]
    assert [c["internal"] for c in staff_view] == [True, False, False]
    assert world.request("GET", f"{path}/audit", staff).status_code == 200
