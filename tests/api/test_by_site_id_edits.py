"""A site edits and deletes a comment by its own id, as it reads and reports one."""


def test_a_site_edits_and_deletes_a_comment_by_its_own_id(client, site, outsider):
    posted = client.post("/api/v1/comments", headers=site.headers,
                         json={"id": "art/42", "story_id": "s-1", "author_id": "a", "text": "First draft."})
    assert posted.status_code == 202
    ours = posted.get_json()["id"]

    edited = client.patch("/api/v1/comments/by-site-id/art%2F42", headers=site.headers, json={"text": "Second draft."})
    assert edited.status_code == 200 and edited.get_json()["id"] == ours
    assert client.get(f"/api/v1/comments/{ours}?include=text", headers=site.headers).get_json()["text"] == "Second draft."
    # Another site's key finds no such comment of its own.
    assert client.delete("/api/v1/comments/by-site-id/art%2F42", headers=outsider.headers).status_code == 404
    deleted = client.delete("/api/v1/comments/by-site-id/art%2F42?by=author", headers=site.headers)
    assert deleted.status_code == 200 and deleted.get_json()["status"] == "deleted"
    missing = client.patch("/api/v1/comments/by-site-id/nope", headers=site.headers, json={"text": "x"})
    assert missing.status_code == 404 and missing.get_json()["error"]["field"] == "site_comment_id"
