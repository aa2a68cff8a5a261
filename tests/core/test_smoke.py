def test_home_page_renders(testapp):
    response = testapp.get("/")
    assert response.status_int == 200
    assert "Cortège" in response.text


def test_member_logs_in_and_sees_dashboard(make_user, login):
    user = make_user("camille", display_name="Camille Martin")
    browser = login(user)
    page = browser.get("/")
    assert "Welcome, Camille Martin" in page.text


def test_admin_page_needs_admin(make_user, login, testapp):
    assert testapp.get("/admin").status_int == 303  # strangers are sent to log in
    member = login(make_user())
    assert member.get("/admin", status=403).status_int == 403
    admin = login(make_user(role="admin"))
    assert "Plugins" in admin.get("/admin").text
