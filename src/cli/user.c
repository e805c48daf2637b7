/*
 * user.c - `innolink user add|list|disable|enable|token`: the accounts of
 * the web front end, and the password reading that `innolink init` shares.
 *
 * A password comes from --password-file (its first line), from
 * $INNOLINK_PASSWORD, or, when standard input is a terminal, from a prompt
 * without echo; a script or CI with none of them gets a clear error rather
 * than a wait for input that never comes.
 */
#include "cli.h"

#include <innolink/auth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PASSWORD_MAX 1024

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int prompt_password(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool restore;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)size, stdin);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	if (!got)
		return il_error_set(IL_EINVAL, "no password was typed");
	chomp(buf);
	return IL_OK;
}

int cli_password(const char *file, bool required, char *buf, size_t size, bool *got)
{
	const char *env = getenv("INNOLINK_PASSWORD");
	*got = false;
	if (file) {
		FILE *f = fopen(file, "r");
		if (!f)
			return il_error_set(IL_EIO, "%s: cannot open the password file", file);
		char *line = fgets(buf, (int)size, f);
		fclose(f);
		if (!line)
			return il_error_set(IL_EINVAL, "%s:1: the password file is empty", file);
		chomp(buf);
	} else if (env && env[0]) {
		if (strlen(env) >= size)
			return il_error_set(IL_EINVAL, "INNOLINK_PASSWORD is longer than %zu bytes",
					    size - 1);
		strcpy(buf, env);
	} else if (isatty(STDIN_FILENO)) {
		char again[PASSWORD_MAX];
		int rc = prompt_password("password (密码): ", buf, size);
		if (!rc)
			rc = prompt_password("again (再次输入): ", again, sizeof(again));
		if (!rc && strcmp(buf, again) != 0)
			rc = il_error_set(IL_EINVAL, "the two passwords differ");
		memset(again, 0, sizeof(again));
		if (rc)
			return rc;
	} else if (required) {
		return il_error_set(IL_EINVAL, "no password: give --password-file FILE, set "
					       "INNOLINK_PASSWORD, or run on a terminal");
	} else {
		return IL_OK;
	}
	*got = true;
	return IL_OK;
}

static int user_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"region", required_argument, NULL, 'g'},
		{"org", required_argument, NULL, 'o'},
		{"person", required_argument, NULL, 'p'},
		{"display", required_argument, NULL, 'd'},
		{"password-file", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	struct il_account a;
	struct il_store *s;
	const char *file = NULL;
	char pw[PASSWORD_MAX];
	bool got;
	int rc;
	memset(&a, 0, sizeof(a));
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'r':
			a.role = optarg;
			break;
		case 'g':
			a.region = optarg;
			break;
		case 'o':
			a.org = optarg;
			break;
		case 'p':
			a.person = optarg;
			break;
		case 'd':
			a.display = optarg;
			break;
		case 'P':
			file = optarg;
			break;
		default:
			return cli_usage("user", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("user", "user add takes one NAME");
	if (!a.role)
		return cli_usage("user", "--role is required");
	a.name = argv[optind];
	if ((rc = cli_password(file, true, pw, sizeof(pw), &got)) != IL_OK)
		return cli_fail(rc);
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	rc = il_auth_user_add(s, &a, pw, "cli");
	memset(pw, 0, sizeof(pw));
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	if (cli->json)
		printf("{\"name\":\"%s\",\"role\":\"%s\",\"id\":%lld}\n", a.name, a.role,
		       (long long)a.id);
	else
		printf("account %s (%s) added\n", a.name, a.role);
	return EXIT_OK;
}

static void json_opt(struct il_buf *b, const char *name, const char *v)
{
	il_buf_addf(b, ",\"%s\":", name);
	if (v)
		il_json_string(b, v, strlen(v));
	else
		il_buf_adds(b, "null");
}

static int print_account(const struct il_account *a, void *ctx)
{
	struct cli *cli = ctx;
	if (cli->json) {
		struct il_buf b = IL_BUF_INIT;
		il_buf_adds(&b, "{\"name\":");
		il_json_string(&b, a->name, strlen(a->name));
		json_opt(&b, "role", a->role);
		json_opt(&b, "region", a->region);
		json_opt(&b, "org", a->org);
		json_opt(&b, "person", a->person);
		il_buf_addf(&b, ",\"disabled\":%s}", a->disabled ? "true" : "false");
		puts(il_buf_cstr(&b));
		il_buf_release(&b);
		return IL_OK;
	}
	printf("%-20s %-14s %-12s %s%s\n", a->name, a->role, a->region ? a->region : "-",
	       a->org      ? a->org
	       : a->person ? a->person
			   : "-",
	       a->disabled ? "  (disabled 已停用)" : "");
	return IL_OK;
}

static int user_list(struct cli *cli, int argc, char **argv)
{
	struct il_store *s;
	int rc;
	if (argc != 1)
		return cli_usage("user", "user list takes no arguments, not '%s'", argv[1]);
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	rc = il_store_account_list(s, print_account, cli);
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int user_disable(struct cli *cli, int argc, char **argv, bool disable)
{
	struct il_store *s;
	int rc;
	if (argc != 2)
		return cli_usage("user", "user %s takes one NAME", argv[0]);
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	rc = il_store_account_set_disabled(s, argv[1], disable);
	if (!rc)
		rc = il_store_audit(s, "cli", disable ? "account.disable" : "account.enable",
				    argv[1], NULL);
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	printf("account %s %s\n", argv[1], disable ? "disabled (已停用)" : "enabled (已启用)");
	return EXIT_OK;
}

static int print_token(const struct il_token_info *t, void *ctx)
{
	(void)ctx;
	printf("%-6lld %-20s %s%s\n", (long long)t->id, t->created_at, t->label,
	       t->revoked ? "  (revoked 已吊销)" : "");
	return IL_OK;
}

static int user_token(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"label", required_argument, NULL, 'l'},
		{"revoke", required_argument, NULL, 'r'},
		{"list", no_argument, NULL, 'L'},
		{NULL, 0, NULL, 0},
	};
	const char *label = NULL, *revoke = NULL;
	bool list = false;
	struct il_account a;
	struct il_store *s;
	char *token = NULL;
	int64_t id = 0;
	int rc;
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'l':
			label = optarg;
			break;
		case 'r':
			revoke = optarg;
			break;
		case 'L':
			list = true;
			break;
		default:
			return cli_usage("user", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("user", "user token takes one NAME");
	if (revoke && (strspn(revoke, "0123456789") != strlen(revoke) || !revoke[0]))
		return cli_usage("user", "--revoke takes a token number, not '%s'", revoke);
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	rc = il_store_account_get(s, argv[optind], &a, NULL);
	if (!rc && list)
		rc = il_store_token_list(s, a.id, print_token, NULL);
	else if (!rc && revoke) {
		rc = il_store_token_revoke(s, a.id, strtoll(revoke, NULL, 10));
		if (!rc)
			rc = il_store_audit(s, "cli", "token.revoke", a.name, revoke);
		if (!rc)
			printf("token %s of %s revoked (已吊销)\n", revoke, a.name);
	} else if (!rc && (rc = il_auth_token_create(s, &a, label, &token, &id)) == IL_OK) {
		if (cli->json)
			printf("{\"id\":%lld,\"token\":\"%s\"}\n", (long long)id, token);
		else
			printf("token %lld for %s (shown once, keep it secret 仅显示一次):\n%s\n",
			       (long long)id, a.name, token);
	}
	free(token);
	il_account_release(&a);
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

int cli_user(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("user", "say add, list, disable, enable or token");
	if (strcmp(argv[1], "add") == 0)
		return user_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return user_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0)
		return user_disable(cli, argc - 1, argv + 1, argv[1][0] == 'd');
	if (strcmp(argv[1], "token") == 0)
		return user_token(cli, argc - 1, argv + 1);
	return cli_usage("user", "unknown subcommand '%s'", argv[1]);
}

int cli_init_operator(struct cli *cli, struct il_store *s, const char *name, const char *file)
{
	struct il_account a;
	char pw[PASSWORD_MAX];
	size_t n = 0;
	bool got = false;
	int rc;
	if ((rc = il_store_account_count(s, &n)) != IL_OK)
		return cli_fail(rc);
	if (n > 0)
		return EXIT_OK;
	if ((rc = cli_password(file, false, pw, sizeof(pw), &got)) != IL_OK)
		return cli_fail(rc);
	if (!got) {
		fprintf(stderr,
			"innolink: no operator account was made (no terminal, no "
			"--password-file, no INNOLINK_PASSWORD); add one with 'innolink user "
			"add NAME --role operator'\n");
		return EXIT_OK;
	}
	memset(&a, 0, sizeof(a));
	a.name = (char *)name;
	a.role = (char *)"operator";
	rc = il_auth_user_add(s, &a, pw, "init");
	memset(pw, 0, sizeof(pw));
	if (rc)
		return cli_fail(rc);
	if (!cli->json)
		printf("operator account %s added (运营账号已创建)\n", name);
	return EXIT_OK;
}
