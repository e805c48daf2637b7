/*
 * response.c - every response the server sends, problem documents included.
 *
 * All answers pass through il__http_send() or il__http_send_fd(), so the
 * headers that every answer must carry are added in one place, and the
 * status is recorded for the access log.  Problem documents (RFC 9457) take
 * type, title and status from the error table of base.h, so the API's error
 * mapping and il_strerror() cannot drift apart.
 */
#include "http_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PROBLEM_BASE "https://innolink.example/problems/"

/* Generated answers are never stored by caches (they may depend on who asks,
 * once accounts exist); static files may be, if revalidated. */
static int add_headers(struct il__http_request *req, struct MHD_Response *resp,
		       const char *content_type, const char *cache, const char *const *extra)
{
	bool closes = false;
	bool ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) ==
		  MHD_YES;
	ok = ok && MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
	ok = ok && MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache) == MHD_YES;
	for (size_t i = 0; ok && extra && extra[i]; i += 2) {
		ok = MHD_add_response_header(resp, extra[i], extra[i + 1]) == MHD_YES;
		closes = closes || strcasecmp(extra[i], MHD_HTTP_HEADER_CONNECTION) == 0;
	}
	if (ok && !closes && atomic_load(&req->srv->draining))
		ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
	return ok ? IL_OK : il_error_set(IL_ENOMEM, "cannot add response headers");
}

static int queue(struct il__http_request *req, unsigned status, struct MHD_Response *resp)
{
	enum MHD_Result r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	if (r != MHD_YES)
		return il_error_set(IL_EIO, "MHD refused the response");
	req->responded = true;
	req->status = status;
	return IL_OK;
}

int il__http_send(struct il__http_request *req, unsigned status, const char *content_type,
		  struct il_buf *body, const char *const *extra)
{
	struct MHD_Response *resp;
	size_t len = body->len;
	char *data = il_buf_detach(body);
	int rc;
	if (!data)
		return il_error_set(IL_ENOMEM, "out of memory building the response");
	resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
	if (!resp) {
		free(data);
		return il_error_set(IL_ENOMEM, "out of memory building the response");
	}
	if ((rc = add_headers(req, resp, content_type, "no-store", extra)) != IL_OK) {
		MHD_destroy_response(resp);
		return rc;
	}
	return queue(req, status, resp);
}

int il__http_send_json(struct il__http_request *req, unsigned status, struct il_buf *body)
{
	return il__http_send(req, status, "application/json; charset=utf-8", body, NULL);
}

int il__http_send_fd(struct il__http_request *req, int fd, uint64_t size, const char *content_type,
		     const char *const *extra)
{
	struct MHD_Response *resp = MHD_create_response_from_fd64(size, fd);
	int rc;
	if (!resp) {
		close(fd);
		return il_error_set(IL_ENOMEM, "out of memory building the response");
	}
	if ((rc = add_headers(req, resp, content_type, "no-cache", extra)) != IL_OK) {
		MHD_destroy_response(resp);
		return rc;
	}
	return queue(req, MHD_HTTP_OK, resp);
}

int il__http_problem(struct il__http_request *req, int code, unsigned status,
		     const char *const *extra, const char *fmt, ...)
{
	char raw[1024], type[64];
	const char *detail, *name = il_errname(code);
	struct il_buf b;
	va_list ap;
	size_t i;
	int rc;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	static const char *const challenge[] = {MHD_HTTP_HEADER_WWW_AUTHENTICATE,
						"Bearer realm=\"innolink\"", NULL};
	if (!status)
		status = (unsigned)il_error_http_status(code);
	if (status == MHD_HTTP_UNAUTHORIZED && !extra)
		extra = challenge; /* RFC 9110: a 401 names how to authenticate */
	/* A server error's detail may quote SQL or file names: it goes to the
	 * log, and the client learns only what kind of failure it was. */
	detail = il__http_clean(req, raw, 1000);
	if (status >= 500) {
		il_log(IL_LOG_ERROR, "%s %s: %s: %s", req->method ? req->method : "-",
		       req->instance ? req->instance : "-", name, detail);
		detail = il_strerror(code);
	}
	for (i = 0; name[i] && i < sizeof(type) - 1; i++)
		type[i] = (char)tolower((unsigned char)name[i]);
	type[i] = '\0';
	il_buf_init(&b, 8192);
	rc = il_buf_addf(&b, "{\"type\":\"" PROBLEM_BASE "%s\",\"title\":", type);
	if (!rc)
		rc = il_json_string(&b, il_strerror(code), strlen(il_strerror(code)));
	if (!rc)
		rc = il_buf_addf(&b, ",\"status\":%u,\"detail\":", status);
	if (!rc)
		rc = il_json_string(&b, detail, strlen(detail));
	if (!rc)
		rc = il_buf_adds(&b, ",\"instance\":");
	if (!rc) {
		const char *inst = req->instance ? req->instance : "";
		rc = il_json_string(&b, inst, strlen(inst));
	}
	if (!rc)
		rc = il_buf_addc(&b, '}');
	if (!rc)
		rc = il__http_send(req, status, "application/problem+json", &b, extra);
	il_buf_release(&b);
	return rc;
}

int il__http_problem_code(struct il__http_request *req, int code)
{
	return il__http_problem(req, code, 0, NULL, "%s", il_error_detail(code));
}
