/*
 * fuzz_trade.c - libFuzzer target for what the trade module reads from
 * people: dates (milestones, the store's timestamps) and state names
 * (deal and docking moves, from the command line and later the API).
 *
 * A date that is accepted must be a real day: formatting the time it gave
 * back must reproduce its first ten characters.  A state that is accepted
 * must be one of the machine's states.  Anything else but a crash, a
 * sanitizer report or a leak is fine.
 */
#include "trade/trade_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_date(const char *text)
{
	int64_t t;
	char back[16];
	if (il__trade_time(text, &t) != IL_OK)
		return;
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		__builtin_trap();
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	if (strlen(text) < 10 || strncmp(back, text, 10) != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum il_deal_state ds;
	enum il_docking_state ks;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_date(text);
	if (il_trade_deal_state_parse(text, &ds) == IL_OK && (unsigned)ds >= IL_DEAL__COUNT)
		__builtin_trap();
	if (il_trade_docking_state_parse(text, &ks) == IL_OK && (unsigned)ks >= IL_DOCK__COUNT)
		__builtin_trap();
	il_error_clear();
	free(text);
	return 0;
}
