def test_home_page_renders(testapp):
    response = testapp.get("/")
    assert response.status_int == 200
    assert "Cortège" in response.text
