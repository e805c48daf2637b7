/*
 * static.c - the browser UI's files, served from the web root.
 *
 * A path maps to a file under the web root only through its decoded
 * segments, and a segment that is "." or "..", holds a slash (sent as %2F)
 * or a backslash, or starts with a dot (.git, .env) is refused before the
 * file system is asked.  The
 * resolved path (symbolic links followed) must still lie under the
 * resolved root, so a link inside the root cannot lead out of it either.
 * Without a web root, / answers a small JSON index and nothing else is
 * served.
 */
#include "http_internal.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IL_VERSION
#define IL_VERSION "unknown"
#endif

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{"html", "text/html; charset=utf-8"},
	{"htm", "text/html; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"json", "application/json; charset=utf-8"},
	{"map", "application/json; charset=utf-8"},
	{"txt", "text/plain; charset=utf-8"},
	{"svg", "image/svg+xml"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"webp", "image/webp"},
	{"ico", "image/x-icon"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
};

static const char *content_type(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static int json_index(struct il__http_request *req)
{
	struct il_buf b;
	int rc;
	il_buf_init(&b, 4096);
	rc = il_buf_adds(&b, "{\"name\":\"innolink\",\"version\":");
	if (!rc)
		rc = il_json_string(&b, IL_VERSION, strlen(IL_VERSION));
	if (!rc)
		rc = il_buf_adds(&b, ",\"api\":\"/api/v1\",\"health\":\"/healthz\"}");
	if (!rc)
		rc = il__http_send_json(req, MHD_HTTP_OK, &b);
	il_buf_release(&b);
	return rc;
}

static int missing(struct il__http_request *req)
{
	return il__http_problem(req, IL_ENOTFOUND, 0, NULL, "no file at %s", req->instance);
}

static bool under_root(const char *real, const char *root)
{
	size_t n = strlen(root);
	return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/*
 * Serves root/rel.  A directory serves its index.html.  Returns IL_OK once
 * answered; with `quiet`, a missing file returns IL_ENOTFOUND unanswered.
 */
static int serve(struct il__http_request *req, const char *rel, bool quiet)
{
	const char *root = req->srv->web_root;
	char path[PATH_MAX], *real = NULL;
	struct stat st;
	int fd, rc;
	int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		goto missing;
	if (!(real = realpath(path, NULL)) || !under_root(real, root) || stat(real, &st) != 0)
		goto missing;
	if (S_ISDIR(st.st_mode)) {
		n = snprintf(path, sizeof(path), "%s/index.html", real);
		free(real);
		real = NULL;
		if (n < 0 || (size_t)n >= sizeof(path))
			goto missing;
		if (!(real = realpath(path, NULL)) || !under_root(real, root) ||
		    stat(real, &st) != 0)
			goto missing;
	}
	if (!S_ISREG(st.st_mode))
		goto missing;
	if ((fd = open(real, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		goto missing;
	}
	rc = il__http_send_fd(req, fd, (uint64_t)st.st_size, content_type(real), NULL);
	free(real);
	return rc;
missing:
	free(real);
	return quiet ? IL_ENOTFOUND : missing(req);
}

int il__http_static_root(struct il__http_request *req)
{
	int rc;
	if (!req->srv->web_root)
		return json_index(req);
	rc = serve(req, "index.html", true);
	return rc == IL_ENOTFOUND ? json_index(req) : rc;
}

int il__http_static_file(struct il__http_request *req)
{
	struct il_buf rel;
	int rc = IL_OK;
	if (!req->srv->web_root)
		return missing(req);
	il_buf_init(&rel, PATH_MAX);
	for (size_t i = req->rest; i < req->nseg && !rc; i++) {
		const char *s = req->seg[i];
		if (!s[0]) /* "a//b" and a trailing slash */
			continue;
		/* '/' can only be here as %2F, which would join segments behind
		 * the checks above it */
		if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strpbrk(s, "/\\")) {
			rc = il__http_problem(req, IL_EINVAL, 0, NULL,
					      "a path segment may not be '.' or '..' nor hold '/' "
					      "or '\\'");
			il_buf_release(&rel);
			return rc;
		}
		if (s[0] == '.') {
			il_buf_release(&rel);
			return missing(req);
		}
		if (rel.len)
			rc = il_buf_addc(&rel, '/');
		if (!rc)
			rc = il_buf_adds(&rel, s);
	}
	if (rc == IL_ETOOBIG)
		rc = missing(req);
	else if (!rc)
		rc = serve(req, rel.len ? il_buf_cstr(&rel) : ".", false);
	il_buf_release(&rel);
	return rc;
}
