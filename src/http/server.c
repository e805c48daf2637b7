/*
 * server.c - the daemon: lifecycle, request objects, limits, access log.
 *
 * libmicrohttpd runs a pool of worker threads (epoll on Linux), each of
 * which accepts connections from one listening socket that we bind
 * ourselves, so that a failure to bind can name its reason.  A request
 * object is made in the URI log callback (the only place that sees the
 * request target as sent), lives through the access handler calls and is
 * freed, after its access log line, when MHD reports the request complete.
 *
 * The access handler is called once when the headers are in (the
 * Content-Length is checked against max_body then, before a byte of the
 * body is read), once per piece of body (kept, up to max_body, for POST,
 * PUT and PATCH; counted and dropped for the others), and once at the end,
 * when the request is dispatched.
 * MHD 0.9.75 cannot queue a response while a body is arriving, so a body
 * without Content-Length that passes the limit is read and dropped to its
 * end and then answered 413, unless it goes on past twice the limit: then
 * the connection is closed.
 *
 * Stopping: SIGINT and SIGTERM are blocked before MHD starts its threads
 * (which inherit the mask) and read from a signalfd in il_http_serve(),
 * next to a pipe that il_http_stop() writes to.  Then the listening socket
 * is quiesced and shut down (new connections are refused at once), answers
 * carry "Connection: close", and the serving thread
 * waits until no request is in flight (or timeout_s passes, or a second
 * signal comes) before MHD_stop_daemon(), which would otherwise cut
 * requests off mid-response.
 *
 * Store handles: a handle serves one thread at a time, so each worker opens
 * its own on first use and keeps it in a thread-local pointer; the server
 * also lists every handle (under a mutex) and closes them all once
 * MHD_stop_daemon() has joined the threads that used them.
 *
 * The search index: one per server, made before listening (the snapshot
 * DB.index caught up with the change log, or a build when there is no
 * usable snapshot) and shared by every worker behind a rwlock.  Searches
 * read under the read lock; a search that finds the store's log ahead of
 * the index (one cheap query on its worker's handle) first catches up
 * under the write lock, checking again once it holds it, so one worker
 * applies what several saw.  The lock prefers writers, so a steady stream
 * of searches cannot hold a catch-up off for ever.  On a back end with
 * change notification (PostgreSQL) a watcher thread (watch.c) catches up
 * when another process announces a commit, and searches skip the query.
 * The server writes the snapshot back (under the read lock, so searches go
 * on) when it built the index, after every SNAPSHOT_EVERY changes caught
 * up, and at a clean shutdown, so the next start loads it and replays only
 * what came after.
 */
#include "http_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define REQUEST_ARENA_LIMIT (256 * 1024)
#define CONNECTION_MEMORY (64 * 1024) /* a request line of IL__HTTP_MAX_URI plus headers */
#define CONNECTION_LIMIT 1024u
#define LISTEN_BACKLOG 1024
#define MAX_THREADS 256u

static atomic_bool serving;
static atomic_uint generations;
static atomic_int stop_fd = -1; /* write end of stop_pipe once it exists */
static int stop_pipe[2] = {-1, -1}; /* lives as long as the process: see il_http_stop() */
static pthread_once_t stop_pipe_once = PTHREAD_ONCE_INIT;

static _Thread_local struct il__http_worker *tl_worker;
static _Thread_local unsigned tl_generation;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double ms_since(int64_t t0)
{
	return (double)(now_ns() - t0) / 1e6;
}

int il__http_worker(struct il__http_server *srv, struct il__http_worker **out)
{
	struct il__http_worker *w;
	if (tl_worker && tl_generation == srv->generation) {
		*out = tl_worker;
		return IL_OK;
	}
	if (!(w = il_calloc(1, sizeof(*w))))
		return il_error_set(IL_ENOMEM, "out of memory for a worker");
	pthread_mutex_lock(&srv->lock);
	if (srv->nworkers == srv->capworkers) {
		size_t cap = srv->capworkers ? srv->capworkers * 2 : 8;
		struct il__http_worker **v = il_realloc(srv->workers, cap * sizeof(*v));
		if (!v) {
			pthread_mutex_unlock(&srv->lock);
			free(w);
			return il_error_set(IL_ENOMEM, "out of memory registering a worker");
		}
		srv->workers = v;
		srv->capworkers = cap;
	}
	srv->workers[srv->nworkers++] = w;
	pthread_mutex_unlock(&srv->lock);
	tl_worker = w;
	tl_generation = srv->generation;
	*out = w;
	return IL_OK;
}

int il__http_store(struct il__http_request *req, struct il_store **out)
{
	struct il__http_worker *w;
	int rc = il__http_worker(req->srv, &w);
	if (rc)
		return rc;
	if (!w->store && (rc = il_store_open(req->srv->cfg.db, 0, &w->store)) != IL_OK)
		return rc;
	*out = w->store;
	return IL_OK;
}

/* Changes caught up after which the snapshot is written again. */
#define SNAPSHOT_EVERY 10000

/* Writes DB.index unless it already reflects the index; the caller holds
 * index_lock (either way).  Best effort: a failure is logged, and one
 * worker at a time writes. */
static void save_snapshot(struct il__http_server *srv)
{
	struct il_buf path = IL_BUF_INIT;
	int64_t seq = atomic_load(&srv->index_seq), t0 = now_ns();
	bool expected = false;
	int rc;
	if (!srv->snapshots || seq == atomic_load(&srv->snap_seq) ||
	    !atomic_compare_exchange_strong(&srv->saving, &expected, true))
		return;
	if ((rc = il_buf_addf(&path, "%s.index", srv->cfg.db)) == IL_OK &&
	    (rc = il_index_save(srv->index, il_buf_cstr(&path), seq)) == IL_OK) {
		atomic_store(&srv->snap_seq, seq);
		il_log(IL_LOG_INFO, "search index: wrote %s at store change %lld in %.1fms",
		       il_buf_cstr(&path), (long long)seq, ms_since(t0));
	} else {
		il_log(IL_LOG_WARN, "search index: cannot write the snapshot: %s",
		       il_error_detail(rc));
		il_error_clear();
	}
	il_buf_release(&path);
	atomic_store(&srv->saving, false);
}

void il__http_index_catch_up(struct il__http_server *srv, struct il_store *s, int64_t last)
{
	int64_t seq;
	int rc;
	if (last > atomic_load(&srv->index_seq)) {
		pthread_rwlock_wrlock(&srv->index_lock);
		seq = atomic_load(&srv->index_seq);
		if (last > seq) { /* no other worker got here first */
			int64_t from = seq, t0 = now_ns();
			rc = il_index_catch_up(srv->index, s, &seq);
			atomic_store(&srv->index_seq, seq);
			if (rc != IL_OK)
				il_log(IL_LOG_WARN,
				       "search index: catching up from store change %lld stopped at "
				       "%lld: %s; answering from the index as it stands",
				       (long long)from, (long long)seq, il_error_detail(rc));
			else
				il_log(IL_LOG_DEBUG,
				       "search index: caught up from store change %lld to %lld in %.1fms",
				       (long long)from, (long long)seq, ms_since(t0));
			il_error_clear();
		}
		pthread_rwlock_unlock(&srv->index_lock);
	}
}

int il__http_index_acquire(struct il__http_request *req, struct il_store *s,
			   const struct il_index **out)
{
	struct il__http_server *srv = req->srv;
	int64_t last;
	int rc;
	/* a live watcher (watch.c) applies other processes' changes as they
	 * are announced; without one, ask the store on every search */
	if (!atomic_load(&srv->watch_live)) {
		if ((rc = il_store_last_change(s, &last)) != IL_OK)
			return rc;
		il__http_index_catch_up(srv, s, last);
	}
	pthread_rwlock_rdlock(&srv->index_lock);
	if (atomic_load(&srv->index_seq) - atomic_load(&srv->snap_seq) >= SNAPSHOT_EVERY)
		save_snapshot(srv);
	*out = srv->index;
	return IL_OK;
}

void il__http_index_release(struct il__http_request *req)
{
	pthread_rwlock_unlock(&req->srv->index_lock);
}

/* The path as sent, made printable: for problem "instance" and the log. */
static char *printable_path(struct il__http_request *req, const char *uri)
{
	static const char hex[] = "0123456789ABCDEF";
	char out[520];
	size_t n = 0;
	for (const char *p = uri; *p && *p != '?' && *p != '#'; p++) {
		unsigned char c = (unsigned char)*p;
		if (n + 3 >= 512) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		if (c > 0x20 && c < 0x7F && c != '"' && c != '\\') {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	return il_arena_strndup(&req->arena, out, n);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct il__http_server *srv = cls;
	struct il__http_request *req = il_calloc(1, sizeof(*req));
	if (!req)
		return NULL;
	req->srv = srv;
	req->conn = conn;
	req->t0_ns = now_ns();
	req->lang = "en";
	il_arena_init(&req->arena, 8192, REQUEST_ARENA_LIMIT);
	req->raw_len = strlen(uri);
	if (req->raw_len <= IL__HTTP_MAX_URI)
		req->raw = il_arena_strndup(&req->arena, uri, req->raw_len);
	req->instance = printable_path(req, uri);
	atomic_fetch_add(&srv->inflight, 1);
	return req;
}

static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return NULL;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "server shutdown";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		return "client closed the connection";
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		return "read error";
	default:
		return "error";
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct il__http_server *srv = cls;
	struct il__http_request *req = *req_cls;
	const char *why = termination_name(toe);
	unsigned status;
	if (!req)
		return;
	*req_cls = NULL;
	status = req->status;
	if (!status) { /* an answer MHD made itself (a malformed request, say) */
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
		if (ci)
			status = ci->http_status;
	}
	il_log(IL_LOG_INFO, "%s %s %u %.1fms%s%s%s", req->method ? req->method : "-",
	       req->instance ? req->instance : "-", status, (double)(now_ns() - req->t0_ns) / 1e6,
	       why ? " (" : "", why ? why : "", why ? ")" : "");
	il__http_request_release(req);
	il_arena_release(&req->arena);
	free(req);
	atomic_fetch_sub(&srv->inflight, 1);
}

/* A client that sent too much may still be sending: its connection is not
 * kept for another request. */
static const char *const close_hdr[] = {MHD_HTTP_HEADER_CONNECTION, "close", NULL};

/* The last address of an X-Forwarded-For list, when it is one. */
static bool forwarded_for(const char *list, char *out, size_t size)
{
	const char *last = strrchr(list, ',');
	unsigned char bin[sizeof(struct in6_addr)];
	size_t n;
	last = last ? last + 1 : list;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (!n || n >= size || last[n + strspn(last + n, " \t")] != '\0')
		return false;
	memcpy(out, last, n);
	out[n] = '\0';
	return inet_pton(AF_INET, out, bin) == 1 || inet_pton(AF_INET6, out, bin) == 1;
}

/* The client's address as text, for rate limits and the log: the socket's
 * peer, or what the trusted proxy says of the client it forwards. */
static void client_address(struct il__http_request *req)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *proxy = req->srv->cfg.trusted_proxy, *xff, *proto;
	char fwd[sizeof(req->addr)];
	snprintf(req->addr, sizeof(req->addr), "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  req->addr, sizeof(req->addr));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  req->addr, sizeof(req->addr));
	if (!proxy || strcmp(proxy, req->addr) != 0)
		return;
	xff = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff && forwarded_for(xff, fwd, sizeof(fwd)))
		memcpy(req->addr, fwd, sizeof(fwd));
	proto = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	req->https = proto && strcasecmp(proto, "https") == 0;
}

/* The headers are in: check what can be checked before the body arrives. */
static int on_headers(struct il__http_request *req, const char *method)
{
	const char *cl;
	req->method = il__http_clean(req, method, 32);
	req->m = il__http_method_parse(method);
	il_buf_init(&req->body, req->srv->cfg.max_body);
	client_address(req);
	cl = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		uint64_t n = 0;
		bool digits = cl[0] != '\0';
		for (const char *p = cl; *p && digits; p++) {
			if (*p < '0' || *p > '9' || n > (UINT64_MAX - 9) / 10)
				digits = false;
			else
				n = n * 10 + (uint64_t)(*p - '0');
		}
		/* MHD has checked the syntax; what it let through and we cannot
		 * read as a number is certainly too large. */
		if (!digits || n > req->srv->cfg.max_body)
			return il__http_problem(
				req, IL_ETOOBIG, 0, close_hdr,
				"the request body is larger than the limit of %zu bytes",
				req->srv->cfg.max_body);
	}
	return IL_OK;
}

static int on_request(struct il__http_request *req)
{
	int rc;
	if (req->body_over)
		return il__http_problem(req, IL_ETOOBIG, 0, close_hdr,
					"the request body is larger than the limit of %zu bytes",
					req->srv->cfg.max_body);
	if (!req->raw) {
		if (req->raw_len > IL__HTTP_MAX_URI)
			return il__http_problem(
				req, IL_EURI, 0, NULL,
				"the request target is %zu bytes long; the limit is %d",
				req->raw_len, IL__HTTP_MAX_URI);
		return il__http_problem(req, IL_ENOMEM, 0, NULL, "out of memory");
	}
	if ((rc = il__http_parse_target(req)) != IL_OK)
		return il__http_problem_code(req, rc);
	return il__http_dispatch(req);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **req_cls)
{
	struct il__http_request *req = *req_cls;
	(void)cls;
	(void)url;
	(void)version;
	if (!req) /* the URI log callback ran out of memory */
		return MHD_NO;
	req->conn = conn;
	if (!req->started) {
		req->started = true;
		return on_headers(req, method) == IL_OK ? MHD_YES : MHD_NO;
	}
	if (*upload_data_size) {
		uint64_t max = req->srv->cfg.max_body;
		req->body_bytes += *upload_data_size;
		if ((req->m & (IL__HTTP_POST | IL__HTTP_PUT | IL__HTTP_PATCH)) && !req->body_over &&
		    req->body_bytes <= max &&
		    il_buf_add(&req->body, upload_data, *upload_data_size) != IL_OK)
			return MHD_NO; /* out of memory below the cap */
		*upload_data_size = 0;
		if (req->body_bytes > max) {
			req->body_over = true;
			if (req->body_bytes - max > max) { /* past twice the limit */
				il_log(IL_LOG_WARN, "%s %s: body past twice the limit, closing",
				       req->method, req->instance);
				return MHD_NO;
			}
		}
		return MHD_YES;
	}
	if (req->responded) /* answered from the headers */
		return MHD_YES;
	return on_request(req) == IL_OK ? MHD_YES : MHD_NO;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	il_log(IL_LOG_WARN, "libmicrohttpd: %s", msg);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Splits "host:port", "[v6]:port", ":port" or "port"; an empty host is
 * 127.0.0.1: the server is reachable from elsewhere only when asked. */
static int parse_listen(const char *s, char *host, size_t hostcap, char *port, size_t portcap)
{
	const char *h = s, *p;
	size_t hlen;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			return il_error_set(IL_EINVAL, "listen address '%s': expected [IPv6]:port",
					    s);
		h = s + 1;
		hlen = (size_t)(rb - h);
		p = rb + 2;
	} else {
		const char *colon = strrchr(s, ':');
		if (!colon) {
			if (!all_digits(s))
				return il_error_set(IL_EINVAL, "listen address '%s' has no port",
						    s);
			hlen = 0;
			p = s; /* the whole string is the port */
		} else {
			hlen = (size_t)(colon - s);
			if (memchr(s, ':', hlen))
				return il_error_set(
					IL_EINVAL,
					"listen address '%s': write IPv6 addresses in brackets", s);
			p = colon + 1;
		}
	}
	if (!all_digits(p) || strlen(p) > 5 || atoi(p) > 65535)
		return il_error_set(IL_EINVAL, "listen address '%s': bad port", s);
	if (hlen >= hostcap || strlen(p) >= portcap)
		return il_error_set(IL_EINVAL, "listen address '%s' is too long", s);
	if (hlen == 0) {
		snprintf(host, hostcap, "127.0.0.1");
	} else {
		memcpy(host, h, hlen);
		host[hlen] = '\0';
	}
	snprintf(port, portcap, "%s", p);
	return IL_OK;
}

/* Binds and listens; *fd is non-blocking, as MHD's worker pool needs. */
static int open_listener(const char *listen_addr, int *fd, int *family)
{
	char host[256], port[8], shown[300];
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int rc, s = -1, one = 1, gai;
	if ((rc = parse_listen(listen_addr, host, sizeof(host), port, sizeof(port))) != IL_OK)
		return rc;
	memset(&ss, 0, sizeof(ss));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0)
		return il_error_set(IL_EIO, "cannot listen on %s: %s", listen_addr,
				    gai_strerror(gai));
	s = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0) {
		rc = il_error_set(IL_EIO, "cannot listen on %s: %s", listen_addr, strerror(errno));
		goto cleanup;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (res->ai_family == AF_INET6)
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(s, res->ai_addr, res->ai_addrlen) != 0 || listen(s, LISTEN_BACKLOG) != 0) {
		rc = il_error_set(IL_EIO, "cannot listen on %s: %s", listen_addr, strerror(errno));
		goto cleanup;
	}
	if (getsockname(s, (struct sockaddr *)&ss, &sl) == 0) {
		char addr[INET6_ADDRSTRLEN] = "?";
		unsigned p = 0;
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
			p = ntohs(a->sin6_port);
			snprintf(shown, sizeof(shown), "[%s]:%u", addr, p);
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
			p = ntohs(a->sin_port);
			snprintf(shown, sizeof(shown), "%s:%u", addr, p);
		}
		il_log(IL_LOG_INFO, "listening on http://%s/", shown);
	}
	*fd = s;
	*family = res->ai_family;
	s = -1;
	rc = IL_OK;
cleanup:
	if (s >= 0)
		close(s);
	freeaddrinfo(res);
	return rc;
}

static const char *signame(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "stop requested";
}

static void make_stop_pipe(void)
{
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) == 0)
		atomic_store(&stop_fd, stop_pipe[1]);
}

void il_http_stop(void)
{
	int fd = atomic_load(&stop_fd);
	if (fd >= 0 && atomic_load(&serving)) {
		ssize_t n = write(fd, "", 1);
		(void)n; /* a full pipe already holds a stop request */
	}
}

/* Reads a non-blocking pipe or signalfd empty (a signalfd read needs room
 * for whole signalfd_siginfo records). */
static void drain_fd(int fd)
{
	char buf[4 * sizeof(struct signalfd_siginfo)];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * Waits up to `ms` milliseconds (-1: for ever) for a signal or a stop request.
 * Returns the signal number, 0 for il_http_stop(), -1 on timeout.
 */
static int wait_stop(int sfd, int ms)
{
	struct pollfd p[2] = {{sfd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
	int n = poll(p, 2, ms);
	if (n <= 0)
		return -1; /* timeout, or EINTR: the caller looks again */
	if (p[0].revents & POLLIN) {
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			return (int)si.ssi_signo;
	}
	if (p[1].revents & POLLIN) {
		drain_fd(stop_pipe[0]);
		return 0;
	}
	return -1;
}

static unsigned pick_connection_limit(unsigned threads)
{
	struct rlimit rl;
	rlim_t limit = CONNECTION_LIMIT;
	/* keep descriptors for store handles, logs and the listener */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < limit + 64 + threads * 4)
		limit = rl.rlim_cur > 64 + threads * 4 + 16 ? rl.rlim_cur - 64 - threads * 4 : 16;
	return (unsigned)limit;
}

static void apply_defaults(struct il__http_server *srv, const struct il_http_config *cfg)
{
	srv->cfg = *cfg;
	if (!srv->cfg.listen)
		srv->cfg.listen = IL_HTTP_DEFAULT_LISTEN;
	if (!srv->cfg.max_body)
		srv->cfg.max_body = IL_HTTP_DEFAULT_MAX_BODY;
	if (!srv->cfg.timeout_s)
		srv->cfg.timeout_s = IL_HTTP_DEFAULT_TIMEOUT;
	if (!srv->cfg.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		srv->cfg.threads = n > 0 ? (unsigned)n : 1;
	}
	if (srv->cfg.threads > MAX_THREADS)
		srv->cfg.threads = MAX_THREADS;
	if (!srv->cfg.rate_read)
		srv->cfg.rate_read = IL_HTTP_DEFAULT_RATE_READ;
	if (!srv->cfg.rate_write)
		srv->cfg.rate_write = IL_HTTP_DEFAULT_RATE_WRITE;
}

static void resolve_web_root(struct il__http_server *srv)
{
	struct stat st;
	char *real;
	if (!srv->cfg.web_root)
		return;
	real = realpath(srv->cfg.web_root, NULL);
	if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		il_log(IL_LOG_WARN, "web root %s is not a directory; / answers a JSON index",
		       srv->cfg.web_root);
		free(real);
		return;
	}
	srv->web_root = real;
}

/* Lets requests in flight finish; returns early on a second signal. */
static void drain(struct il__http_server *srv, int sfd)
{
	int64_t deadline = now_ns() + (int64_t)srv->cfg.timeout_s * 1000000000;
	unsigned n = atomic_load(&srv->inflight);
	if (n)
		il_log(IL_LOG_INFO, "finishing %u request%s in flight", n, n == 1 ? "" : "s");
	while ((n = atomic_load(&srv->inflight)) > 0) {
		int sig;
		if (now_ns() >= deadline) {
			il_log(IL_LOG_WARN, "stopping with %u request%s still in flight", n,
			       n == 1 ? "" : "s");
			return;
		}
		if ((sig = wait_stop(sfd, 20)) >= 0) {
			il_log(IL_LOG_WARN, "%s: stopping now with %u request%s in flight",
			       signame(sig), n, n == 1 ? "" : "s");
			return;
		}
	}
}

/* Loads DB.index into srv->index and catches it up with `s`; leaves
 * srv->index NULL, with a warning, when the snapshot is missing, corrupt
 * or of another database.  Other errors (the store's, IL_ENOMEM) are
 * returned. */
static int load_snapshot(struct il__http_server *srv, struct il_store *s, int64_t *seq)
{
	struct il_buf path = IL_BUF_INIT;
	struct stat st;
	int64_t t0 = now_ns(), from = 0;
	int rc;
	/* a store URI that is not a file name names no snapshot file */
	srv->snapshots = strcmp(il_store_backend(s), "sqlite") == 0;
	if (!srv->snapshots)
		return IL_OK;
	if ((rc = il_buf_addf(&path, "%s.index", srv->cfg.db)) != IL_OK)
		return rc;
	if (stat(il_buf_cstr(&path), &st) != 0)
		goto done;
	rc = il_index_load(srv->text, il_buf_cstr(&path), &srv->index, &from);
	*seq = from;
	if (rc == IL_OK)
		atomic_store(&srv->snap_seq, from);
	if (rc == IL_OK && (rc = il_index_catch_up(srv->index, s, seq)) != IL_OK) {
		il_index_close(srv->index);
		srv->index = NULL;
	}
	if (rc == IL_OK) {
		il_log(IL_LOG_INFO,
		       "search index: %s at store change %lld, caught up to %lld: %zu documents "
		       "in %.1fms",
		       il_buf_cstr(&path), (long long)from, (long long)*seq,
		       il_index_size(srv->index), ms_since(t0));
	} else if (rc == IL_EIO || rc == IL_EFORMAT || rc == IL_ECONFLICT) {
		/* load's details name the file already; catch-up's do not */
		il_log(IL_LOG_WARN, "search index: ignoring the snapshot: %s%s%s",
		       rc == IL_ECONFLICT ? il_buf_cstr(&path) : "", rc == IL_ECONFLICT ? ": " : "",
		       il_error_detail(rc));
		il_error_clear();
		rc = IL_OK;
	}
done:
	il_buf_release(&path);
	return rc;
}

/* The analyzer and the index the server starts with, current with `s`. */
static int open_index(struct il__http_server *srv, struct il_store *s)
{
	int64_t t0, seq = 0;
	int rc;
	if ((rc = il_text_open(srv->cfg.data_dir, 0, &srv->text)) != IL_OK)
		return rc;
	if ((rc = load_snapshot(srv, s, &seq)) != IL_OK)
		return rc;
	if (!srv->index) {
		t0 = now_ns();
		if ((rc = il_index_open(srv->text, NULL, &srv->index)) != IL_OK)
			return rc;
		/* writes made during the build are in the log after `seq` */
		if ((rc = il_index_build(srv->index, s, &seq)) != IL_OK ||
		    (rc = il_index_catch_up(srv->index, s, &seq)) != IL_OK)
			return rc;
		il_log(IL_LOG_INFO,
		       "search index: built from the store at change %lld: %zu documents in %.1fms",
		       (long long)seq, il_index_size(srv->index), ms_since(t0));
		/* so the next start loads it instead of building again */
		atomic_store(&srv->index_seq, seq);
		atomic_store(&srv->snap_seq, -1);
		save_snapshot(srv);
	}
	atomic_store(&srv->index_seq, seq);
	return IL_OK;
}

int il_http_serve(const struct il_http_config *cfg)
{
	struct il__http_server srv;
	struct MHD_Daemon *d;
	sigset_t sigs, oldmask;
	bool expected = false, masked = false;
	int rc, sfd = -1, lfd = -1, family = AF_INET, sig;
	MHD_socket quiet;
	struct il_store *probe = NULL;
	pthread_rwlockattr_t rwa;
	unsigned flags;

	if (!cfg || !cfg->db || !cfg->db[0])
		return il_error_set(IL_EINVAL, "no database given to serve");
	if (!atomic_compare_exchange_strong(&serving, &expected, true))
		return il_error_set(IL_EBUSY, "a server is already running in this process");
	memset(&srv, 0, sizeof(srv));
	apply_defaults(&srv, cfg);
	srv.generation = atomic_fetch_add(&generations, 1) + 1;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_rwlockattr_init(&rwa);
	/* a search never takes the read lock twice, so writers may go first */
	pthread_rwlockattr_setkind_np(&rwa, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&srv.index_lock, &rwa);
	pthread_rwlockattr_destroy(&rwa);

	/* Fail before listening if the store cannot be opened at all, or the
	 * index cannot be made from it. */
	if ((rc = il__http_titles_open(&srv.titles)) != IL_OK ||
	    (rc = il__http_limiter_open(srv.cfg.rate_read, &srv.reads)) != IL_OK ||
	    (rc = il__http_limiter_open(srv.cfg.rate_write, &srv.writes)) != IL_OK)
		goto cleanup;
	if ((rc = il_store_open(srv.cfg.db, 0, &probe)) != IL_OK)
		goto cleanup;
	rc = open_index(&srv, probe);
	il_store_close(probe);
	if (rc != IL_OK)
		goto cleanup;
	resolve_web_root(&srv);

	pthread_once(&stop_pipe_once, make_stop_pipe);
	if (stop_pipe[0] < 0) {
		rc = il_error_set(IL_EIO, "cannot create the stop pipe: %s", strerror(errno));
		goto cleanup;
	}
	drain_fd(stop_pipe[0]); /* a stop asked for before this server existed */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &oldmask);
	masked = true;
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		rc = il_error_set(IL_EIO, "cannot watch for signals: %s", strerror(errno));
		goto cleanup;
	}
	/* after the mask: the watcher thread must not take SIGTERM either */
	if ((rc = il__http_watch_start(&srv)) != IL_OK ||
	    (rc = open_listener(srv.cfg.listen, &lfd, &family)) != IL_OK)
		goto cleanup;

	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* the logger first, so that MHD reports problems with the rest through it */
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_access, &srv, MHD_OPTION_EXTERNAL_LOGGER,
			     on_mhd_log, &srv, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)lfd,
			     MHD_OPTION_THREAD_POOL_SIZE, srv.cfg.threads,
			     MHD_OPTION_CONNECTION_TIMEOUT, srv.cfg.timeout_s,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
			     MHD_OPTION_CONNECTION_LIMIT, pick_connection_limit(srv.cfg.threads),
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv, MHD_OPTION_NOTIFY_COMPLETED,
			     on_completed, &srv, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
	if (!d) {
		/* MHD closes a listening socket it was given when it fails; closing
		 * it again could close a descriptor another thread has just opened */
		lfd = -1;
		rc = il_error_set(IL_EIO, "cannot start the HTTP server on %s", srv.cfg.listen);
		goto cleanup;
	}
	il_log(IL_LOG_INFO, "serving %s with %u thread%s", srv.cfg.db, srv.cfg.threads,
	       srv.cfg.threads == 1 ? "" : "s");

	while ((sig = wait_stop(sfd, -1)) < 0)
		;
	il_log(IL_LOG_INFO, "%s: shutting down", signame(sig));
	quiet = MHD_quiesce_daemon(d);
	/* MHD no longer accepts, but the kernel would still queue connections
	 * on the socket until it is closed, which must wait for
	 * MHD_stop_daemon(); shutting it down refuses them at once instead. */
	if (quiet != MHD_INVALID_SOCKET)
		shutdown(quiet, SHUT_RDWR);
	atomic_store(&srv.draining, true);
	drain(&srv, sfd);
	MHD_stop_daemon(d);
	if (quiet != MHD_INVALID_SOCKET && quiet == lfd)
		close(lfd); /* quiesced: ours to close; otherwise MHD closed it */
	lfd = -1;
	save_snapshot(&srv); /* every worker has stopped: the index is ours */
	il_log(IL_LOG_INFO, "stopped");
	rc = IL_OK;

cleanup:
	il__http_watch_stop(&srv);
	if (lfd >= 0)
		close(lfd);
	for (size_t i = 0; i < srv.nworkers; i++) {
		/* the matcher reads the store: closed first */
		il__http_matcher_close(srv.workers[i]->matcher);
		il_store_close(srv.workers[i]->store);
		free(srv.workers[i]);
	}
	free(srv.workers);
	il_index_close(srv.index);
	il_text_close(srv.text);
	il__http_titles_close(srv.titles);
	il__http_limiter_close(srv.reads);
	il__http_limiter_close(srv.writes);
	free(srv.web_root);
	if (sfd >= 0) {
		/* A signal sent twice (a process group's Ctrl-C, say) would be
		 * delivered, with its default action, once the mask is restored. */
		drain_fd(sfd);
		close(sfd);
	}
	if (masked)
		pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	pthread_rwlock_destroy(&srv.index_lock);
	pthread_mutex_destroy(&srv.lock);
	atomic_store(&serving, false);
	return rc;
}
