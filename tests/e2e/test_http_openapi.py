#!/usr/bin/env python3
"""web/openapi.json held against the running server: the server serves
the document at /api/v1/openapi.json; every documented operation, asked
with the document's own examples, answers with a status the document
lists, the content type it lists for that status and a body that fits its
schema; operations that need credentials answer 401 without them; and
methods the document does not list at a path never succeed there.
(tests/http/test_routes.c checks the router's table against the same
document.)  Output is TAP.
"""
import json
import os
import sys
import urllib.parse

from httptest import FIXTURES, SRCDIR, Client, Server, add_user, build_db, cli, eq, run_tap

DOC = os.path.join(SRCDIR, "..", "web", "openapi.json")
METHODS = ("get", "post", "put", "patch", "delete")


def resolve(doc, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = doc["components"]["schemas"][name]
    return schema


def check_schema(doc, schema, value, where):
    """The subset of OpenAPI 3.0 schemas the document uses."""
    schema = resolve(doc, schema)
    if value is None:
        if not schema.get("nullable"):
            raise AssertionError("%s: null where the schema allows none" % where)
        return
    for sub in schema.get("allOf", []):
        check_schema(doc, sub, value, where)
    t = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool,
             "integer": int, "number": (int, float)}
    if t and (not isinstance(value, types[t]) or (t in ("integer", "number")
                                                  and isinstance(value, bool))):
        raise AssertionError("%s: %r is not %s" % (where, value, t))
    if "enum" in schema and value not in schema["enum"]:
        raise AssertionError("%s: %r not in %r" % (where, value, schema["enum"]))
    if t == "object":
        for name in schema.get("required", []):
            if name not in value:
                raise AssertionError("%s: member %s missing" % (where, name))
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check_schema(doc, sub, value[name], where + "." + name)
    if t == "array":
        for i, item in enumerate(value):
            check_schema(doc, schema.get("items", {}), item, "%s[%d]" % (where, i))


def build_request(c, path, op, created):
    """A request from the operation's examples: the target, headers and
    body.  A path parameter of a collection the run has just added to
    (POST /api/v1/tokens) takes the id the POST answered."""
    query, headers = {}, {}
    target = path
    parent = path.rsplit("/", 1)[0]
    for p in op.get("parameters", []):
        if p["in"] == "path" and parent in created:
            target = target.replace("{%s}" % p["name"], str(created[parent]))
        if "example" not in p:
            continue
        if p["in"] == "path":
            target = target.replace("{%s}" % p["name"], urllib.parse.quote(p["example"], safe=""))
        elif p["in"] == "query":
            query[p["name"]] = p["example"]
    for p in op.get("parameters", []):
        if p["in"] == "header" and p["name"] == "If-Match":
            headers["If-Match"] = c.get(target).header("etag") or '"0"'
    if query:
        target += "?" + urllib.parse.urlencode(query)
    body = None
    content = op.get("requestBody", {}).get("content", {})
    for ctype, media in content.items():
        if "example" in media:
            body = media["example"]
            body = (json.dumps(body) if ctype == "application/json" else body).encode()
            headers["Content-Type"] = ctype
            break
    return target, headers, body


def check_answer(doc, r, op, what):
    responses = op["responses"]
    if str(r.status) not in responses:
        raise AssertionError("%s: status %d is not documented (%s); body %r" % (
            what, r.status, sorted(responses), r.body[:300]))
    documented = responses[str(r.status)]
    content = documented.get("content")
    if not content:
        eq(r.body, b"", what + ": a status without content has no body")
        return
    ctype = r.header("content-type")
    if ctype not in content:
        raise AssertionError("%s: content type %s, documented %s" % (what, ctype, list(content)))
    for name in documented.get("headers", {}):
        if r.header(name) is None:
            raise AssertionError("%s: header %s missing" % (what, name))
    if "json" in ctype:
        check_schema(doc, content[ctype]["schema"], json.loads(r.body), what)


def test_document_is_served(s, doc):
    r = s.get("/api/v1/openapi.json")
    eq(r.status, 200, "status")
    eq(json.loads(r.body), doc, "the served document is the file")


def test_operations_answer_as_documented(s, doc, token):
    c = Client(s, token)
    # records the examples name
    c.request("POST", "/api/v1/demands", body={"id": "DEM-OPENAPI", "title": "待删除",
                                                 "owner": "ORG-T-1"})
    asked = 0
    created = {}
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            target, headers, body = build_request(c, path, op, created)
            what = "%s %s" % (method.upper(), target)
            r = c.request(method.upper(), target, body=body, headers=headers)
            if method == "post" and r.status == 201 and isinstance(r.json().get("id"), int):
                created[path] = r.json()["id"]
            if r.status >= 400 and str(r.status) in op["responses"] and r.status not in (401,):
                # an error is documented, but the examples should succeed
                ok = [code for code in op["responses"] if code < "300"]
                raise AssertionError("%s: %d %r; the example should give %s" % (
                    what, r.status, r.body[:300], ok))
            check_answer(doc, r, op, what)
            if "security" in op:
                anon = Client(s).request(method.upper(), target, body=body, headers=headers)
                eq(anon.status, 401, what + " without credentials")
                check_answer(doc, anon, op, what + " without credentials")
            asked += 1
    if asked < 20:
        raise AssertionError("only %d operations asked" % asked)


def test_errors_are_documented(s, doc, token):
    c = Client(s, token)
    for method, target, path in (("GET", "/api/v1/demands?limit=0", "/api/v1/{kind}"),
                                 ("GET", "/api/v1/nokind", "/api/v1/{kind}"),
                                 ("GET", "/api/v1/demands/NOPE", "/api/v1/{kind}/{id}"),
                                 ("PATCH", "/api/v1/demands/DEM-T-1", "/api/v1/{kind}/{id}"),
                                 ("GET", "/api/v1/search", "/api/v1/search")):
        r = c.request(method, target, body=b"{}" if method == "PATCH" else None)
        check_answer(doc, r, doc["paths"][path][method.lower()], method + " " + target)


def test_undocumented_methods_do_not_succeed(s, doc, token):
    c = Client(s, token)
    for path, item in doc["paths"].items():
        target = path.replace("{kind}", "demands").replace("{id}", "DEM-T-1").replace(
            "{name}", "admin")
        for method in METHODS:
            if method in item:
                continue
            r = c.request(method.upper(), target, body=b"{}")
            if r.status < 400:
                raise AssertionError("%s %s is not documented but answers %d" % (
                    method.upper(), target, r.status))


def main():
    with open(DOC) as f:
        doc = json.load(f)

    def body(workdir, tap):
        db = build_db(workdir, "openapi.db", (("regions", "region"),
                                               ("organizations", "organization"),
                                               ("persons", "person"),
                                               ("demands", "demand"),
                                               ("demands-closed", "demand"),
                                               ("deals", "deal")))
        cli("chain", "import", os.path.join(FIXTURES, "chain.json"), "--db", db)
        token = add_user(db, "admin", "operator")
        web = os.path.join(SRCDIR, "..", "web")
        s = Server(workdir, db, "--web", web, "--rate-limit", "100000,100000")
        try:
            tap.run(test_document_is_served, s, doc)
            tap.run(test_operations_answer_as_documented, s, doc, token)
            tap.run(test_errors_are_documented, s, doc, token)
            tap.run(test_undocumented_methods_do_not_succeed, s, doc, token)
        finally:
            s.stop()
    return run_tap("openapi-", body)


if __name__ == "__main__":
    sys.exit(main())
