"""Membership under control: owners remove members, anyone leaves, the last owner stays;
invitation links are listed, revoked, and work only while their creator is an owner; an
invitation opened while signed out survives signing in or creating an account."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import PASSWORD, bearer, csrf_token

ORG_PAGE = "/organizations/{id}"


@pytest.fixture
def team(factory):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner, "Harbor Dental")
    people = {"owner": owner}
    for role in ("contributor", "auditor"):
        people[role] = factory.user(f"{role}@example.com")
        factory.member(org, people[role], role)
    people["stranger"] = factory.user("stranger@example.com")
    headers = {name: bearer(factory.token(user)) for name, user in people.items()}
    ids = {name: user.id for name, user in people.items()}
    return SimpleNamespace(
        org=org, id=org.id, people=people, ids=ids, headers=headers, factory=factory
    )


def members_url(team, user_id=None) -> str:
    base = f"/api/v1/organizations/{team.id}/members"
    return base if user_id is None else f"{base}/{user_id}"


def emails(client, team) -> set[str]:
    listed = client.get(members_url(team), headers=team.headers["owner"]).get_json()["members"]
    return {m["email"] for m in listed}


# --------------------------------------------------------------------------- the API


def test_does_a_removed_member_lose_access_on_the_next_request(client, team, login):
    login("auditor@example.com")
    assert client.get(ORG_PAGE.format(id=team.id)).status_code == 200
    org_api = f"/api/v1/organizations/{team.id}"
    assert client.get(org_api, headers=team.headers["auditor"]).status_code == 200

    gone = client.delete(members_url(team, team.ids["auditor"]), headers=team.headers["owner"])
    assert gone.status_code == 204 and gone.get_data() == b""
    assert "auditor@example.com" not in emails(client, team)
    # the same signed-in session and the same token: both 404 now
    assert client.get(ORG_PAGE.format(id=team.id)).status_code == 404
    assert client.get(org_api, headers=team.headers["auditor"]).status_code == 404
    assert client.get(f"{org_api}/export.csv", headers=team.headers["auditor"]).status_code == 404


def test_can_only_owners_remove_others_and_anyone_leave(client, team):
    url = members_url(team, team.ids["auditor"])
    assert client.delete(url, headers=team.headers["contributor"]).status_code == 403
    assert client.delete(url, headers=team.headers["stranger"]).status_code == 404
    left = client.delete(
        members_url(team, team.ids["contributor"]), headers=team.headers["contributor"]
    )
    assert left.status_code == 204
    assert "contributor@example.com" not in emails(client, team)
    # not (or no longer) a member: 404
    again = client.delete(members_url(team, team.ids["contributor"]), headers=team.headers["owner"])
    assert again.status_code == 404
    stranger = client.delete(members_url(team, team.ids["stranger"]), headers=team.headers["owner"])
    assert stranger.status_code == 404


def test_is_removing_demoting_or_leaving_as_the_last_owner_refused_with_409(client, team):
    owner = team.headers["owner"]
    leave = client.delete(members_url(team, team.ids["owner"]), headers=owner)
    assert leave.status_code == 409 and "owner" in leave.get_json()["error"]["message"]
    demote = client.post(
        members_url(team), json={"email": "owner@example.com", "role": "auditor"}, headers=owner
    )
    assert demote.status_code == 409
    assert emails(client, team) >= {"owner@example.com"}
    # with a second owner, the first may leave
    promoted = client.post(
        members_url(team), json={"email": "auditor@example.com", "role": "owner"}, headers=owner
    )
    assert promoted.status_code == 201
    assert client.delete(members_url(team, team.ids["owner"]), headers=owner).status_code == 204
    assert client.get(f"/api/v1/organizations/{team.id}", headers=owner).status_code == 404


def invite(client, team, role="auditor", who="owner"):
    made = client.post(
        f"/api/v1/organizations/{team.id}/invitations",
        json={"role": role},
        headers=team.headers[who],
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    return body["id"], body["url"].split("localhost", 1)[-1]


def invitations(client, team, who="owner"):
    return client.get(f"/api/v1/organizations/{team.id}/invitations", headers=team.headers[who])


def test_can_owners_list_invitations_with_who_made_and_used_them(client, team, login, doc):
    first, path = invite(client, team, "auditor")
    invite(client, team, "contributor")
    guest = team.factory.user("guest@example.com")
    login(guest.email)
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302

    listed = invitations(client, team)
    assert listed.status_code == 200
    body = listed.get_json()
    assert_schema(doc, "InvitationList", body)
    by_id = {i["id"]: i for i in body["invitations"]}
    assert by_id[first]["used"] is True and by_id[first]["used_by"] == "guest@example.com"
    assert by_id[first]["status"] == "used" and by_id[first]["created_by"] == "owner@example.com"
    other = next(i for i in body["invitations"] if i["id"] != first)
    assert other["used"] is False and other["status"] == "open" and other["role"] == "contributor"
    assert other["expires_at"] > other["created_at"]
    for role in ("contributor", "auditor"):
        assert invitations(client, team, role).status_code == 403
    assert invitations(client, team, "stranger").status_code == 404


def test_does_a_revoked_link_stop_working(client, team, login):
    number, path = invite(client, team, "owner")
    url = f"/api/v1/organizations/{team.id}/invitations/{number}"
    assert client.delete(url, headers=team.headers["auditor"]).status_code == 403
    revoked = client.delete(url, headers=team.headers["owner"])
    assert revoked.status_code == 204
    again = client.delete(url, headers=team.headers["owner"])
    assert again.status_code == 410 and "revoked" in again.get_json()["error"]["message"]
    listed = invitations(client, team).get_json()["invitations"]
    assert listed[0]["status"] == "revoked" and listed[0]["revoked_at"]
    login(team.factory.user("late@example.com").email)
    assert client.get(path).status_code == 404
    assert client.get(ORG_PAGE.format(id=team.id)).status_code == 404
    missing = f"/api/v1/organizations/{team.id}/invitations/999999"
    assert client.delete(missing, headers=team.headers["owner"]).status_code == 404


def test_is_a_used_link_not_revocable(client, team, login):
    number, path = invite(client, team)
    login(team.factory.user("guest@example.com").email)
    client.post(path, data={"csrf_token": csrf_token(client, path)})
    url = f"/api/v1/organizations/{team.id}/invitations/{number}"
    assert client.delete(url, headers=team.headers["owner"]).status_code == 409


def test_does_a_link_stop_working_when_its_creator_is_no_longer_an_owner(client, team, login):
    """An owner demoted to auditor no longer hands out owner links (the issue's case)."""
    owner = team.headers["owner"]
    client.post(
        members_url(team), json={"email": "auditor@example.com", "role": "owner"}, headers=owner
    )
    _, path = invite(client, team, "owner", who="auditor")  # the auditor, now an owner
    demoted = client.post(
        members_url(team), json={"email": "auditor@example.com", "role": "auditor"}, headers=owner
    )
    assert demoted.status_code == 201
    login(team.factory.user("sneaky@example.com").email)
    assert client.get(path).status_code == 404
    refused = client.post(path, data={"csrf_token": csrf_token(client, "/organizations/new")})
    assert refused.status_code == 404
    assert "sneaky@example.com" not in emails(client, team)
    assert invitations(client, team).get_json()["invitations"][0]["status"] == "void"


# --------------------------------------------------------------------------- the pages


def test_can_an_owner_remove_a_member_on_the_members_page(client, team, login):
    login("owner@example.com")
    page = f"/organizations/{team.id}/members"
    html = client.get(page).get_data(as_text=True)
    assert f"/members/{team.ids['auditor']}/remove" in html
    token = csrf_token(client, page)
    done = client.post(
        f"/organizations/{team.id}/members/{team.ids['auditor']}/remove", data={"csrf_token": token}
    )
    assert done.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "auditor@example.com no longer belongs to Harbor Dental" in html  # the flash
    assert "auditor@example.com" not in emails(client, team)
    # without the CSRF token nothing happens
    forged = client.post(f"/organizations/{team.id}/members/{team.ids['contributor']}/remove")
    assert forged.status_code == 400
    assert "contributor@example.com" in emails(client, team)


def test_can_a_member_leave_on_the_members_page(client, team, login):
    login("contributor@example.com")
    page = f"/organizations/{team.id}/members"
    html = client.get(page).get_data(as_text=True)
    assert "Leave Harbor Dental" in html
    assert f"/members/{team.ids['auditor']}/remove" not in html  # no Remove for others
    token = csrf_token(client, page)
    other = client.post(
        f"/organizations/{team.id}/members/{team.ids['auditor']}/remove", data={"csrf_token": token}
    )
    assert other.status_code == 403
    left = client.post(
        f"/organizations/{team.id}/members/{team.ids['contributor']}/remove",
        data={"csrf_token": token},
    )
    assert left.status_code == 302 and left.headers["Location"] == "/"
    assert client.get(page).status_code == 404


def test_does_the_members_page_refuse_to_lose_the_last_owner(client, team, login):
    login("owner@example.com")
    page = f"/organizations/{team.id}/members"
    token = csrf_token(client, page)
    demote = client.post(
        page,
        data={
            "m-csrf_token": token,
            "m-email": "owner@example.com",
            "m-role": "auditor",
            "m-submit": "Add",
        },
    )
    assert demote.status_code == 409
    assert "at least one owner" in demote.get_data(as_text=True)
    leave = client.post(
        f"/organizations/{team.id}/members/{team.ids['owner']}/remove",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert leave.status_code == 200 and "at least one owner" in leave.get_data(as_text=True)
    assert "owner@example.com" in emails(client, team)


def test_does_the_members_page_list_and_revoke_invitations(client, team, login):
    number, path = invite(client, team, "contributor")
    login("owner@example.com")
    page = f"/organizations/{team.id}/members"
    html = client.get(page).get_data(as_text=True)
    assert f"/invitations/{number}/revoke" in html and "owner@example.com" in html
    token = csrf_token(client, page)
    made = client.post(page, data={"i-csrf_token": token, "i-role": "auditor", "i-submit": "x"})
    html = made.get_data(as_text=True)
    assert 'class="link"' in html and "data-copy" in html and "/invitations/" in html
    done = client.post(
        f"/organizations/{team.id}/invitations/{number}/revoke",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "revoked" in done.get_data(as_text=True)
    assert client.get(path).status_code == 404
    # an auditor sees neither the list nor the buttons
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})
    client.post(
        "/login",
        data={
            "email": "auditor@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    html = client.get(page).get_data(as_text=True)
    assert "/revoke" not in html and "Invitation links" not in html


# --------------------------------------------------------------------------- sign-up


def test_does_an_invitation_survive_creating_an_account(client, team):
    _, path = invite(client, team, "auditor")
    opened = client.get(path)
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/login")
    login_page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "invited" in login_page
    token = csrf_token(client, "/register")
    made = client.post(
        "/register",
        data={
            "email": "new@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf_token": token,
        },
    )
    assert made.status_code == 302 and made.headers["Location"] == path
    join = client.get(path).get_data(as_text=True)
    assert "Harbor Dental" in join and "auditor" in join and "owner@example.com" in join
    joined = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert joined.headers["Location"] == ORG_PAGE.format(id=team.id)
    assert "new@example.com" in emails(client, team)


def test_does_an_invitation_survive_signing_in(client, team):
    _, path = invite(client, team, "contributor")
    opened = client.get(path)
    signed = client.post(
        opened.headers["Location"],
        data={
            "email": "stranger@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert signed.status_code == 302 and signed.headers["Location"] == path
    join = client.get(path).get_data(as_text=True)
    assert "Join Harbor Dental" in join and "contributor" in join


# --------------------------------------------------------------------------- the document


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def assert_schema(doc, name, value):
    from tests.web.test_api import problems

    assert problems(doc, {"$ref": f"#/components/schemas/{name}"}, value) == []
