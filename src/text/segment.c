/*
 * segment.c - Chinese word segmentation: il_text_segment().
 *
 * The text is cut into units: a Han character, or an "atom", a run of
 * Latin letters and digits (half- or full-width) with the connectors that
 * hold numbers, codes, URLs and e-mail addresses together (3.5, 1,200,
 * M10-3, www.example.com) and the unit characters PKU's standard attaches
 * to numbers (1998年, 12月, 31日, 8时, 30分, 50万, 25％).  Whitespace is
 * never a token; punctuation is one token per character, except that a run
 * of one repeated dash, dot or ellipsis character is one token (——, ……).
 *
 * Each run of adjacent units is segmented as jieba does (Sun Junyi, 2012):
 *
 *   1. DAG: for every unit i, the units j such that units i..j spell a
 *      word of the main dictionary (walking the double-array trie one
 *      character code at a time) or of the user overlay; plus "numeral"
 *      edges over runs of Chinese numerals (二○○一年, 三十一日, 第三十二,
 *      百分之八点五, 数百); plus unit i alone when nothing else starts there.
 *   2. Route: the maximum-probability path, by dynamic programming from the
 *      end:  route[i] = max over edges (i, j) of log P(i..j) + route[j+1],
 *      log P(w) = log freq(w) - log total; a character the dictionary lacks
 *      counts freq 1 (jieba's `or 1`).  Ties go to the longer word, as
 *      Python's max() over (prob, end) tuples does.  A numeral edge counts
 *      as a word of frequency NUM_FREQ: common enough to beat splitting a
 *      number into dictionary fragments (三十 + 一日), rare enough to lose
 *      to a real word through it (统一 + 时间 beats 统 + 一时 + 间).
 *   3. Unknown words: consecutive single characters on the route are
 *      re-cut by the character HMM (hmm.c) unless together they form a
 *      dictionary word (jieba's __cut_DAG).  A new word is not taken when
 *      one of its characters is itself a very common word (FUNCTION_SHARE
 *      of all occurrences: 是 这 一 之): the model binds those too eagerly.
 *   4. Conventions of the PKU standard that a word list cannot express:
 *      a personal name is surname + given name (江 泽民; the dictionary's
 *      "nr" words and the HMM's new words of 3 characters that start with
 *      a common surname); the plural suffix 们 stands alone after a word of
 *      two or more characters (朋友 们); a numeral and its classifier are
 *      two words (三 个, 第一 个) - except 一个, which the lexicon keeps as
 *      the article it has become; transliterated names joined by a middle
 *      dot are one word (菲德尔·卡斯特罗).  User dictionary words are never
 *      split.
 *   5. Search mode: a Han word longer than two characters is preceded by
 *      its 2-character and then its 3-character substrings that are
 *      dictionary words, flagged IL_TOKF_SUBWORD and colocated, in jieba's
 *      cut_for_search order (华中 中科 科技 大学 华中科 华中科技大学).
 *
 * Linear time and bounded memory: units go into a window of WINDOW units.
 * When a run fills it, the window is cut at the last point past its middle
 * that no dictionary edge crosses (so no word is lost), or, if edges
 * overlap all the way, WINDOW - MAX_SPAN units in; the part before the cut
 * is segmented and the rest slides down.  Every edge is at most MAX_SPAN
 * units long, so each unit costs O(MAX_SPAN) at worst.
 *
 * Invariants: the dictionary is only read; all scratch memory is one
 * allocation per call, sized min(input, WINDOW); tokens reach the callback
 * in text order (search-mode sub-words before their word), with byte
 * offsets into the caller's text.  Depends on: base, dict.c, hmm.c,
 * utf8proc (character categories).
 */
#include "segment_internal.h"

#include <math.h>
#include <string.h>
#include <utf8proc.h>

#define WINDOW 4096 /* units segmented at once */
#define MAX_SPAN IL__DICT_MAX_CHARS /* longest edge, in units */
#define MAX_NUM_RUN 32 /* longest Chinese numeral taken as one number */
#define MAX_EDGES (MAX_SPAN + 8)
#define NUM_FREQ 10000.0
#define FUNCTION_SHARE 0.001

enum cclass { C_SPACE, C_HAN, C_DIGIT, C_LETTER, C_MARK, C_OTHER };

/* Where a route edge came from. */
enum src { SRC_UNKNOWN, SRC_DICT, SRC_USER, SRC_NUM, SRC_HMM };

enum ukind {
	U_HAN, /* one Han character (and any combining marks after it) */
	U_NUMHAN, /* ○ or a zero digit written inside a Chinese numeral: 二○○一, 二００一 */
	U_ATOM, /* letters, digits and their connectors */
};

struct unit {
	size_t start, end; /* bytes */
	uint32_t cp; /* the character of a U_HAN or U_NUMHAN unit */
	uint16_t code; /* its dictionary code */
	uint8_t kind; /* enum ukind */
	uint8_t tok; /* enum il_token_kind of a U_ATOM */
	bool plain; /* a U_ATOM that is a plain integer (第242) */
	bool num; /* a Chinese numeral character (unit_numeral) */
};

struct edge {
	uint32_t len; /* units */
	int src;
	int tag;
	double logp;
};

struct span {
	size_t start, end;
	int kind;
};

struct seg {
	const struct il__dict *d;
	const char *text;
	size_t len;
	enum il_seg_mode mode;
	il_token_fn fn;
	void *ctx;
	int rc; /* the callback's non-zero answer: everything stops */
	uint32_t next_pos;
	double num_logp, unknown_logp;
	bool dry; /* only sum route probabilities (il__seg_best_logp) */
	double dry_logp;

	struct unit *u;
	size_t n, cap;
	double *route;
	uint32_t *rlen;
	uint8_t *rsrc;
	int16_t *rtag;
	uint16_t *hcodes;
	uint8_t *hback, *hstate;

	struct span held[2]; /* a Han word, maybe a middle dot after it */
	int nheld;
};

size_t il__seg_utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			while (i + 8 <= len) {
				uint64_t w;
				memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			continue;
		}
		size_t n;
		uint32_t cp, min;
		if (p[i] >= 0xC2 && p[i] <= 0xDF) {
			n = 2;
			cp = p[i] & 0x1Fu;
			min = 0x80;
		} else if (p[i] >= 0xE0 && p[i] <= 0xEF) {
			n = 3;
			cp = p[i] & 0x0Fu;
			min = 0x800;
		} else if (p[i] >= 0xF0 && p[i] <= 0xF4) {
			n = 4;
			cp = p[i] & 0x07u;
			min = 0x10000;
		} else {
			return i;
		}
		if (n > len - i)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3Fu);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

/* Decodes text already checked by il__seg_utf8_check(). */
static inline uint32_t dec(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	if (p[0] < 0xE0) {
		*n = 2;
		return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if (p[0] < 0xF0) {
		*n = 3;
		return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		       (p[2] & 0x3F);
	}
	*n = 4;
	return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
	       ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* The character at byte q, or 0 at the end (NUL never starts a unit). */
static inline uint32_t peek(const struct seg *s, size_t q, size_t *n)
{
	if (q >= s->len) {
		*n = 0;
		return 0;
	}
	return dec(s->text + q, n);
}

static bool is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

static int cclass(uint32_t cp)
{
	if (cp < 0x80) {
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return C_LETTER;
		if (cp >= '0' && cp <= '9')
			return C_DIGIT;
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			return C_SPACE;
		return C_OTHER;
	}
	if (is_han(cp))
		return C_HAN;
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return C_DIGIT;
	if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
		return C_LETTER;
	if (cp == 0xFEFF || cp == 0x200B || cp == 0x85)
		return C_SPACE; /* a byte-order mark or zero-width space separates, like a space */
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return C_LETTER;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_MARK;
	case UTF8PROC_CATEGORY_ND:
		return C_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return C_SPACE;
	default:
		return C_OTHER;
	}
}

/* Full-width ASCII (！ to ～) to ASCII, for the connector and sign tests. */
static uint32_t fold(uint32_t cp)
{
	return cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp;
}

static int digit_value(uint32_t cp)
{
	cp = fold(cp);
	return cp >= '0' && cp <= '9' ? (int)(cp - '0') : -1;
}

/* Chinese numerals: digit value, or -1. */
static int cn_digit(uint32_t cp)
{
	switch (cp) {
	case 0x3007: /* 〇 */
	case 0x25CB: /* ○ */
	case 0x96F6: /* 零 */
		return 0;
	case 0x4E00: /* 一 */
	case 0x58F9: /* 壹 */
		return 1;
	case 0x4E8C: /* 二 */
	case 0x8D30: /* 贰 */
		return 2;
	case 0x4E09: /* 三 */
	case 0x53C1: /* 叁 */
		return 3;
	case 0x56DB: /* 四 */
	case 0x8086: /* 肆 */
		return 4;
	case 0x4E94: /* 五 */
	case 0x4F0D: /* 伍 */
		return 5;
	case 0x516D: /* 六 */
	case 0x9646: /* 陆 */
		return 6;
	case 0x4E03: /* 七 */
	case 0x67D2: /* 柒 */
		return 7;
	case 0x516B: /* 八 */
	case 0x634C: /* 捌 */
		return 8;
	case 0x4E5D: /* 九 */
	case 0x7396: /* 玖 */
		return 9;
	default:
		return -1;
	}
}

/* Chinese numeral multipliers: 十 百 千 万 亿 (and their financial forms). */
static uint32_t cn_mult(uint32_t cp)
{
	switch (cp) {
	case 0x5341: /* 十 */
	case 0x62FE: /* 拾 */
		return 10;
	case 0x767E: /* 百 */
	case 0x4F70: /* 佰 */
		return 100;
	case 0x5343: /* 千 */
	case 0x4EDF: /* 仟 */
		return 1000;
	case 0x4E07: /* 万 */
		return 10000;
	case 0x4EBF: /* 亿 */
		return 100000000;
	default:
		return 0;
	}
}

#define CP_LIANG 0x4E24 /* 两 */
#define CP_JI 0x51E0 /* 几 */
#define CP_DI 0x7B2C /* 第 */
#define CP_SHU 0x6570 /* 数 */
#define CP_BAI 0x767E /* 百 */
#define CP_FEN 0x5206 /* 分 */
#define CP_ZHI 0x4E4B /* 之 */
#define CP_DIAN 0x70B9 /* 点 */
#define CP_NIAN 0x5E74 /* 年 */
#define CP_YUE 0x6708 /* 月 */
#define CP_RI 0x65E5 /* 日 */
#define CP_SHI 0x65F6 /* 时 */
#define CP_MIAO 0x79D2 /* 秒 */
#define CP_FEN4 0x4EFD /* 份 */
#define CP_ZHONG 0x949F /* 钟 */
#define CP_WAN 0x4E07 /* 万 */
#define CP_YI 0x4EBF /* 亿 */
#define CP_MEN 0x4EEC /* 们 */
#define CP_GE 0x4E2A /* 个 */
#define CP_ONE 0x4E00 /* 一 */
#define CP_CIRCLE 0x25CB /* ○ */
#define CP_DUO 0x591A /* 多 */
#define CP_YU 0x4F59 /* 余 */

static bool cn_numeral(uint32_t cp)
{
	return cn_digit(cp) >= 0 || cn_mult(cp) || cp == CP_LIANG || cp == CP_JI;
}

static bool unit_numeral(const struct unit *u)
{
	return u->num;
}

/* Does `list` (UTF-8, three-byte characters) hold cp? */
static bool in_list(const char *list, uint32_t cp)
{
	char b[4];
	if (cp < 0x800 || cp > 0xFFFF)
		return false;
	b[0] = (char)(0xE0 | (cp >> 12));
	b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[2] = (char)(0x80 | (cp & 0x3F));
	b[3] = '\0';
	return strstr(list, b) != NULL;
}

/* Common Chinese surnames (the most frequent few hundred of the
 * population registers), for splitting personal names. */
static const char SURNAMES[] =
	"王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
	"杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯"
	"龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂"
	"章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
	"翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦"
	"褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
	"寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝钮郁尉奚晋仝储嵇邰闻檀糜茅庾暨衡满匡阙殳夔晁訾阚"
	"鞠蒯竺逯荆";

static const char *const COMPOUND_SURNAMES[] = {
	"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
	"宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "澹台", "公冶", "申屠", "太史",
};

/* Classifiers (measure words) that PKU separates from a numeral. */
static const char CLASSIFIERS[] =
	"个位名次种条件项批年天岁元家只张座所支台辆架艘本部首篇份封间层块片根棵头匹口户场"
	"届期段节章款级句声步趟遍番回顿倍吨斤克米里亩尺寸秒周代股类套对双副群串排列堆包箱"
	"杯瓶袋盒桶滴粒颗朵把";

/* A single dash, dot or ellipsis character repeats into one token. */
static bool repeats(uint32_t cp)
{
	switch (fold(cp)) {
	case '-':
	case '.':
	case '~':
	case '*':
	case '=':
	case '_':
	case 0x2014: /* — */
	case 0x2013: /* – */
	case 0x2015: /* ― */
	case 0x2500: /* ─ */
	case 0x2026: /* … */
	case 0x22EF: /* ⋯ */
	case 0x00B7: /* · */
	case 0x3002: /* 。 */
		return true;
	default:
		return false;
	}
}

static bool is_middle_dot(uint32_t cp)
{
	return cp == 0x00B7 || cp == 0x2027 || cp == 0x30FB || cp == 0xFF65 || cp == 0x2022;
}

static void deliver1(struct seg *s, size_t start, size_t end, int kind, unsigned flags)
{
	struct il_token tok;
	if (s->rc)
		return;
	tok.term = s->text + start;
	tok.term_len = end - start;
	tok.start = start;
	tok.end = end;
	if (flags & IL_TOKF_COLOCATED) {
		tok.pos = s->next_pos - 1;
	} else {
		tok.pos = s->next_pos++;
	}
	tok.kind = (enum il_token_kind)kind;
	tok.flags = flags;
	tok.weight = 1.0f;
	s->rc = s->fn(&tok, s->ctx);
}

static bool is_word(const struct seg *s, size_t start, size_t end)
{
	struct il__dict_entry e;
	il__dict_lookup(s->d, s->text + start, end - start, &e);
	return e.found;
}

/* Search mode: the 2- then 3-character dictionary words inside a longer
 * Han word, then the word itself (jieba's cut_for_search). */
static void deliver(struct seg *s, size_t start, size_t end, int kind)
{
	unsigned flags = 0;
	if (s->mode == IL_SEG_SEARCH && kind == IL_TOK_HAN) {
		size_t nchars = 0, k;
		for (size_t q = start; q < end && nchars < 4; q += k, nchars++)
			dec(s->text + q, &k);
		for (size_t g = 2; g <= 3 && !s->rc; g++) {
			if (nchars <= g)
				break;
			/* b[0..g] are the boundaries of the g characters from b[0] */
			size_t b[4];
			b[0] = start;
			for (size_t i = 1; i <= g; i++) {
				dec(s->text + b[i - 1], &k);
				b[i] = b[i - 1] + k;
			}
			while (b[g] <= end && !s->rc) {
				if (b[g] - b[0] < end - start && is_word(s, b[0], b[g])) {
					deliver1(s, b[0], b[g], kind, flags | IL_TOKF_SUBWORD);
					flags = IL_TOKF_COLOCATED;
				}
				if (b[g] == end)
					break;
				for (size_t i = 0; i < g; i++)
					b[i] = b[i + 1];
				dec(s->text + b[g], &k);
				b[g] += k;
			}
		}
	}
	deliver1(s, start, end, kind, flags);
}

static void held_flush(struct seg *s)
{
	for (int i = 0; i < s->nheld; i++)
		deliver(s, s->held[i].start, s->held[i].end, s->held[i].kind);
	s->nheld = 0;
}

/* Holds a Han word back until the next token shows whether it is the
 * first half of a transliterated name (菲德尔 · 卡斯特罗 -> one word). */
static void out(struct seg *s, size_t start, size_t end, int kind)
{
	if (s->dry || s->rc)
		return;
	if (s->nheld == 1 && kind == IL_TOK_PUNCT && start == s->held[0].end) {
		size_t k;
		if (end - start <= 3 && is_middle_dot(dec(s->text + start, &k)) &&
		    start + k == end) {
			s->held[1] = (struct span){start, end, kind};
			s->nheld = 2;
			return;
		}
	}
	if (s->nheld == 2 && kind == IL_TOK_HAN && start == s->held[1].end) {
		s->held[0].end = end;
		s->nheld = 1;
		return;
	}
	held_flush(s);
	if (kind == IL_TOK_HAN) {
		s->held[0] = (struct span){start, end, kind};
		s->nheld = 1;
	} else {
		deliver(s, start, end, kind);
	}
}

/*
 * A word of the form [第] N+ [C], N a Chinese numeral character (or 多,
 * 余), C a classifier, is cut the way PKU's standard has it: the classifier
 * apart (三 个, 第十四 条), and 多 or 余 apart from the number (二十 多,
 * 余 万 元).  Not cut: 一个 (an article now), and words led by 百 千 万
 * 亿 (百年, 千年, 万岁 are words of their own).
 */
static bool numeral_phrase(struct seg *s, size_t start, size_t end, int kind)
{
	enum { MAXC = 24 };
	size_t b[MAXC + 1], n = 0, k, q, i, last, from;
	uint32_t c[MAXC];
	bool extra = false, numeral = false;
	for (q = start; q < end; q += k) {
		if (n == MAXC)
			return false;
		b[n] = q;
		c[n++] = dec(s->text + q, &k);
	}
	b[n] = end;
	i = n && c[0] == CP_DI ? 1 : 0;
	bool cls = n >= i + 2 && in_list(CLASSIFIERS, c[n - 1]);
	last = cls ? n - 1 : n;
	if (last <= i || (i == 0 && cn_mult(c[0]) >= 100) || c[i] == CP_CIRCLE ||
	    (n == 2 && c[0] == CP_ONE && c[1] == CP_GE))
		return false;
	for (size_t j = i; j < last; j++) {
		bool more = c[j] == CP_DUO || c[j] == CP_YU;
		if (!more && !cn_numeral(c[j]))
			return false;
		extra |= more;
		numeral |= !more;
	}
	if (!numeral || (!cls && !extra))
		return false;
	from = 0;
	for (size_t j = i; j < last; j++) {
		if (c[j] != CP_DUO && c[j] != CP_YU)
			continue;
		if (j > from)
			out(s, b[from], b[j], kind);
		out(s, b[j], b[j + 1], kind);
		from = j + 1;
	}
	if (from < last)
		out(s, b[from], b[last], kind);
	if (cls)
		out(s, b[last], end, kind);
	return true;
}

/* The PKU conventions of step 4 for one word of the route. */
static void post(struct seg *s, size_t start, size_t end, int kind, int src, int tag)
{
	const struct il__dict *d = s->d;
	uint32_t c[4];
	size_t off[5], nchars = 0, k, q;
	if (s->dry)
		return;
	if (kind != IL_TOK_HAN || src == SRC_USER || src == SRC_NUM) {
		out(s, start, end, kind);
		return;
	}
	for (q = start; q < end && nchars < 4; q += k) {
		off[nchars] = q;
		c[nchars++] = dec(s->text + q, &k);
	}
	off[nchars] = q;
	bool more = q < end; /* longer than 4 characters */

	/* 们 after a word of two or more characters */
	if (nchars >= 3 && memcmp(s->text + end - 3, "\xE4\xBB\xAC" /* 们 */, 3) == 0) {
		out(s, start, end - 3, kind);
		out(s, end - 3, end, kind);
		return;
	}
	/* surname + given name */
	if (!more && (src == SRC_HMM || (src == SRC_DICT && tag >= 0 && tag == d->tag_nr))) {
		size_t cut = 0;
		if (nchars >= 3 && end - start >= 6) {
			for (size_t i = 0;
			     i < sizeof(COMPOUND_SURNAMES) / sizeof(*COMPOUND_SURNAMES); i++)
				if (memcmp(s->text + start, COMPOUND_SURNAMES[i], 6) == 0)
					cut = off[2];
		}
		if (!cut && nchars == 3 && in_list(SURNAMES, c[0]))
			cut = off[1];
		if (cut) {
			out(s, start, cut, kind);
			out(s, cut, end, kind);
			return;
		}
	}
	/* numeral + classifier: 三 个, 第十四 条, 两 年; 二十 多, 余 万 元 */
	if ((src == SRC_HMM || (src == SRC_DICT && tag >= 0 &&
				(tag == d->tag_m || tag == d->tag_t || tag == d->tag_mq))) &&
	    numeral_phrase(s, start, end, kind))
		return;
	out(s, start, end, kind);
}

/* After a plain integer: the date and time characters PKU attaches to it
 * (1998年, 12月份, 31日, 8时, 30分, 8点钟).  Returns the new end. */
static size_t number_unit(const struct seg *s, size_t q, uint64_t v, int ndigits)
{
	size_t k, k2;
	uint32_t cp = peek(s, q, &k), next = peek(s, q + k, &k2);
	switch (cp) {
	case CP_NIAN: /* a year, not a number of years: 1998年, 841年; 10 年, 100 年 */
		if (ndigits == 4 || (ndigits == 3 && v % 100 != 0))
			return q + k;
		break;
	case CP_YUE:
		if (v >= 1 && v <= 12)
			return next == CP_FEN4 ? q + k + k2 : q + k;
		break;
	case CP_RI:
		if (v >= 1 && v <= 31)
			return q + k;
		break;
	case CP_SHI:
		/* not 时间, 时候, 时期, 时代 */
		if (v <= 24 && !in_list("间候期代刻段", next))
			return q + k;
		break;
	case CP_FEN:
	case CP_MIAO:
		/* 30分, but 5 分钟, 3 分之一 */
		if (v <= 59 && next != CP_ZHONG && next != CP_ZHI)
			return q + k;
		break;
	case CP_DIAN:
		if (v <= 24 && next == CP_ZHONG)
			return q + k + k2;
		if (v <= 24 && (digit_value(next) >= 0 || next == 0x534A /* 半 */))
			return q + k;
		break;
	default:
		break;
	}
	return q;
}

static bool letter_ahead(const struct seg *s, size_t q)
{
	size_t k;
	for (;;) {
		int c = cclass(peek(s, q, &k));
		if (k == 0 || (c != C_LETTER && c != C_DIGIT))
			return false;
		if (c == C_LETTER)
			return true;
		q += k;
	}
}

/* n digits then something that is not a digit or letter */
static bool digits_then_end(const struct seg *s, size_t q, int n)
{
	size_t k;
	for (int i = 0; i < n; i++, q += k)
		if (cclass(peek(s, q, &k)) != C_DIGIT)
			return false;
	int c = cclass(peek(s, q, &k));
	return k == 0 || (c != C_DIGIT && c != C_LETTER);
}

/*
 * An atom from byte p: [sign] group (connector group)* [%], where a group
 * is letters and digits (and combining marks) and a connector joins two
 * groups only where it belongs to one token: '.' and '_' always (3.5,
 * www.a.cn, file_name); ',' as a thousands separator (1,200); ':' in a
 * time (8:30); '/' in a fraction (3/4) or a URL path; '@' in an address;
 * '&' and an apostrophe between letters (AT&T, don't); a hyphen or dash
 * when a letter is on either side (M10-3, E-MAIL, U—2) but not between
 * plain numbers (1998-2000 is a range).
 */
static size_t scan_atom(const struct seg *s, size_t p, struct unit *un)
{
	size_t q = p, k, k2;
	uint32_t cp = peek(s, q, &k), f = fold(cp);
	bool letter = false, digit = false, plain = true, dotted = false;
	uint64_t v = 0;
	int ndigits = 0;
	if (f == '+' || f == '-') {
		q += k;
		plain = false;
	}
	for (;;) {
		bool gdigits = true;
		int glen = 0;
		for (;;) {
			cp = peek(s, q, &k);
			int c = k ? cclass(cp) : C_SPACE;
			if (c == C_DIGIT) {
				int dv = digit_value(cp);
				digit = true;
				if (dv < 0 || ndigits >= 18)
					plain = false;
				else
					v = v * 10 + (uint64_t)dv;
				ndigits++;
			} else if (c == C_LETTER) {
				letter = true;
				gdigits = false;
			} else if (!(c == C_MARK && glen > 0)) {
				break;
			}
			glen++;
			q += k;
		}
		cp = peek(s, q, &k);
		if (k == 0)
			break;
		f = fold(cp);
		uint32_t ncp = peek(s, q + k, &k2);
		int nc = k2 ? cclass(ncp) : C_SPACE;
		if (nc != C_DIGIT && nc != C_LETTER)
			break;
		bool join;
		switch (f) {
		case '.':
		case '_':
			join = true;
			break;
		case ',':
			join = gdigits && glen <= 3 && digits_then_end(s, q + k, 3);
			break;
		case ':':
			join = gdigits && digits_then_end(s, q + k, 2);
			break;
		case '/':
			join = (gdigits && nc == C_DIGIT) || (dotted && letter);
			break;
		case '@':
			join = true;
			break;
		case '&':
		case '\'':
			join = !gdigits && nc == C_LETTER;
			break;
		case '-':
		case 0x2010:
		case 0x2011:
		case 0x2013:
		case 0x2014:
			join = letter || letter_ahead(s, q + k);
			break;
		default:
			join = false;
		}
		if (!join)
			break;
		plain = false;
		dotted |= f == '.';
		q += k;
	}
	cp = peek(s, q, &k);
	f = fold(cp);
	if (k && digit && (f == '%' || cp == 0x2030 /* ‰ */)) {
		q += k;
		plain = false;
	} else if (k && letter && !digit && q - p <= 3) {
		/* C++, C#, F# */
		uint32_t n2 = peek(s, q + k, &k2);
		size_t k3;
		if (f == '+' && fold(n2) == '+') {
			int c3 = cclass(peek(s, q + k + k2, &k3));
			if (k3 == 0 || (c3 != C_LETTER && c3 != C_DIGIT))
				q += k + k2;
		} else if (f == '#') {
			int c3 = cclass(n2);
			if (k2 == 0 || (c3 != C_LETTER && c3 != C_DIGIT))
				q += k;
		}
	}
	if (!letter) {
		/* 50万, 1万亿, 55.6亿 */
		bool mult = false;
		while ((cp = peek(s, q, &k)) == CP_WAN || cp == CP_YI) {
			q += k;
			mult = true;
		}
		if (plain && !mult && ndigits > 0)
			q = number_unit(s, q, v, ndigits);
		un->plain = plain && !mult;
	}
	un->start = p;
	un->end = q;
	un->kind = U_ATOM;
	un->tok = letter ? (digit ? IL_TOK_CODE : IL_TOK_WORD) : IL_TOK_NUMBER;
	un->cp = 0;
	un->code = 0;
	return q;
}

/* Is the character at q a Chinese numeral (or ○ inside one)? */
static bool numeral_at(const struct seg *s, size_t q)
{
	size_t k;
	uint32_t cp = peek(s, q, &k);
	return k && (cn_numeral(cp) || cp == CP_CIRCLE);
}

/* Builds the unit at byte p holding cp (class c, n bytes); 0 if cp does
 * not begin a unit (space, punctuation). */
static size_t make_unit(struct seg *s, size_t p, uint32_t cp, int c, size_t n, bool after_alnum,
			struct unit *un)
{
	const struct unit *prev = s->n && s->u[s->n - 1].end == p ? &s->u[s->n - 1] : NULL;
	bool prev_num = prev && unit_numeral(prev);
	size_t k;
	memset(un, 0, sizeof(*un));
	if (c == C_HAN || (cp == CP_CIRCLE && (prev_num || numeral_at(s, p + n)))) {
		size_t q = p + n;
		while (cclass(peek(s, q, &k)) == C_MARK)
			q += k;
		un->start = p;
		un->end = q;
		un->cp = cp;
		un->code = (uint16_t)il__dict_code(s->d, cp);
		un->kind = c == C_HAN ? U_HAN : U_NUMHAN;
		un->num = c != C_HAN || cn_numeral(cp);
		return q;
	}
	if (c == C_DIGIT && digit_value(cp) == 0 && prev_num) {
		/* 二００一年: zeros written as digits inside a Chinese numeral */
		size_t q = p;
		while (digit_value(peek(s, q, &k)) == 0)
			q += k;
		uint32_t after = peek(s, q, &k);
		if (k && (cn_numeral(after) || after == CP_CIRCLE || after == CP_NIAN)) {
			un->start = p;
			un->end = p + n;
			un->cp = cp;
			un->kind = U_NUMHAN;
			un->num = true;
			return p + n;
		}
	}
	if (c == C_DIGIT || c == C_LETTER)
		return scan_atom(s, p, un);
	uint32_t f = fold(cp);
	if ((f == '+' || f == '-') && !after_alnum && cclass(peek(s, p + n, &k)) == C_DIGIT)
		return scan_atom(s, p, un);
	return 0;
}

static void add_edge(struct edge *e, size_t *ne, uint32_t len, int src, int tag, double logp)
{
	for (size_t i = 0; i < *ne; i++) {
		if (e[i].len != len)
			continue;
		/* a user word replaces the main dictionary's; a numeral only
		 * replaces what it beats */
		if (src == SRC_USER || logp > e[i].logp)
			e[i] = (struct edge){len, src, tag, logp};
		return;
	}
	if (*ne < MAX_EDGES)
		e[(*ne)++] = (struct edge){len, src, tag, logp};
}

static void remove_edge(struct edge *e, size_t *ne, uint32_t len)
{
	for (size_t i = 0; i < *ne; i++)
		if (e[i].len == len) {
			e[i] = e[--*ne];
			return;
		}
}

/* End (exclusive) of the Chinese numeral starting at unit i; a 点 between
 * numerals is a decimal point (二十六点八). */
static size_t numeral_end(const struct seg *s, size_t i, size_t lim)
{
	const struct unit *u = s->u;
	size_t r = i;
	while (r < lim && r - i < MAX_NUM_RUN) {
		if (unit_numeral(&u[r]))
			r++;
		else if (u[r].kind == U_HAN && u[r].cp == CP_DIAN && r > i && r + 1 < lim &&
			 u[r + 1].kind == U_HAN && cn_digit(u[r + 1].cp) > 0)
			r++;
		else
			break;
	}
	return r;
}

/* Value of the numeral in units [i, r), or -1 (几, decimals, too big).
 * Digit by digit when it has no multiplier (一九九八); otherwise
 * positional: 三十一 = 3*10 + 1, 两万三千 = (2)*10^4 + 3*10^3. */
static int64_t numeral_value(const struct seg *s, size_t i, size_t r, bool *digit_style)
{
	int64_t total = 0, section = 0, num = 0;
	bool has_num = false;
	*digit_style = true;
	for (size_t j = i; j < r; j++) {
		uint32_t cp = s->u[j].cp;
		if (cn_mult(cp) || cp == CP_LIANG || cp == CP_JI || cp == CP_DIAN)
			*digit_style = false;
	}
	for (size_t j = i; j < r; j++) {
		uint32_t cp = s->u[j].kind == U_NUMHAN ? 0x96F6 /* 零 */ : s->u[j].cp;
		int dv = cp == CP_LIANG ? 2 : cn_digit(cp);
		uint32_t m = cn_mult(cp);
		if (cp == CP_JI || cp == CP_DIAN || total + section + num > 10000000000LL)
			return -1;
		if (*digit_style) {
			num = num * 10 + dv;
		} else if (dv >= 0) {
			num = dv;
			has_num = true;
		} else if (m < 10000) {
			section += (has_num ? num : 1) * (int64_t)m;
			num = 0;
			has_num = false;
		} else {
			total = (total + section + num) * (int64_t)m;
			section = num = 0;
			has_num = false;
		}
	}
	return total + section + num;
}

static void numeral_edges(struct seg *s, size_t i, size_t lim, struct edge *e, size_t *ne)
{
	const struct unit *u = s->u;
	uint32_t cp = u[i].cp;
	double lp = s->num_logp;
	if (cp == CP_DI && i + 1 < lim) {
		if (unit_numeral(&u[i + 1]))
			add_edge(e, ne, (uint32_t)(numeral_end(s, i + 1, lim) - i), SRC_NUM, -1,
				 lp);
		else if (u[i + 1].kind == U_ATOM && u[i + 1].plain)
			add_edge(e, ne, 2, SRC_NUM, -1, lp);
	}
	if (cp == CP_SHU && i + 1 < lim && u[i + 1].kind == U_HAN && cn_mult(u[i + 1].cp))
		add_edge(e, ne, (uint32_t)(numeral_end(s, i + 1, lim) - i), SRC_NUM, -1, lp);
	if (cp == CP_BAI && i + 3 < lim && u[i + 1].cp == CP_FEN && u[i + 2].cp == CP_ZHI &&
	    unit_numeral(&u[i + 3]))
		add_edge(e, ne, (uint32_t)(numeral_end(s, i + 3, lim) - i), SRC_NUM, -1, lp);

	if (!unit_numeral(&u[i]) ||
	    (i > 0 && unit_numeral(&u[i - 1]) && u[i - 1].end == u[i].start))
		return;
	size_t r = numeral_end(s, i, lim), rl = r - i;
	if (rl >= 2)
		add_edge(e, ne, (uint32_t)rl, SRC_NUM, -1, lp);
	if (r >= lim || u[r].kind != U_HAN)
		return;
	bool digit_style;
	int64_t v = numeral_value(s, i, r, &digit_style);
	uint32_t next = r + 1 < lim && u[r + 1].kind == U_HAN ? u[r + 1].cp : 0;
	switch (u[r].cp) {
	case CP_NIAN: /* 一九九八年, 二○○一年; but 五 年, 二十 年 */
		if (digit_style && rl >= 2)
			add_edge(e, ne, (uint32_t)rl + 1, SRC_NUM, -1, lp);
		break;
	case CP_YUE:
		if (v >= 1 && v <= 12) {
			add_edge(e, ne, (uint32_t)rl + 1, SRC_NUM, -1, lp);
			if (next == CP_FEN4)
				add_edge(e, ne, (uint32_t)rl + 2, SRC_NUM, -1, lp);
		}
		break;
	case CP_RI:
		if (v >= 1 && v <= 31)
			add_edge(e, ne, (uint32_t)rl + 1, SRC_NUM, -1, lp);
		break;
	case CP_SHI:
		if (v >= 0 && v <= 24)
			add_edge(e, ne, (uint32_t)rl + 1, SRC_NUM, -1, lp);
		break;
	case CP_DIAN:
		if (v >= 0 && v <= 24) {
			add_edge(e, ne, (uint32_t)rl + 1, SRC_NUM, -1, lp);
			if (next == CP_ZHONG)
				add_edge(e, ne, (uint32_t)rl + 2, SRC_NUM, -1, lp);
		}
		break;
	default:
		break;
	}
}

/* Every edge leaving unit i that ends at or before unit lim. */
static size_t edges_at(struct seg *s, size_t i, size_t lim, struct edge *e)
{
	const struct il__dict *d = s->d;
	const struct unit *u = s->u;
	size_t ne = 0, k;
	int32_t st = 0;
	for (size_t j = i; j < lim && j - i < MAX_SPAN; j++) {
		if (u[j].kind != U_ATOM) {
			st = il__dict_child(d, st, u[j].code);
		} else {
			for (size_t q = u[j].start; q < u[j].end && st >= 0; q += k)
				st = il__dict_child(d, st, il__dict_code(d, dec(s->text + q, &k)));
		}
		if (st < 0)
			break;
		int32_t w = il__dict_word_at(d, st);
		if (w >= 0 && ne < MAX_EDGES)
			e[ne++] = (struct edge){(uint32_t)(j + 1 - i), SRC_DICT, d->wtags[w],
						d->words[w].logp};
	}
	if (d->user_words && il__dict_user_starts(d, dec(s->text + u[i].start, &k))) {
		size_t start = u[i].start, q = start, j = i, nch = 0;
		while (q < s->len && j < lim && nch++ < MAX_SPAN) {
			dec(s->text + q, &k);
			q += k;
			int64_t v = il_strmap_get(&d->user, s->text + start, q - start);
			if (v < 0)
				break;
			while (j < lim && u[j].end < q)
				j++;
			if (j >= lim)
				break;
			if (u[j].end != q || v == 0)
				continue;
			uint64_t f = IL__USER_FREQ(v);
			if (f == 0)
				remove_edge(e, &ne, (uint32_t)(j + 1 - i));
			else
				add_edge(e, &ne, (uint32_t)(j + 1 - i), SRC_USER,
					 IL__USER_TAG(v) == IL__TAG_NONE ? -1 : IL__USER_TAG(v),
					 log((double)f) - d->log_total);
		}
	}
	if (u[i].kind != U_ATOM &&
	    (u[i].num || u[i].cp == CP_DI || u[i].cp == CP_SHU || u[i].cp == CP_BAI))
		numeral_edges(s, i, lim, e, &ne);
	if (ne == 0)
		e[ne++] = (struct edge){1, SRC_UNKNOWN, -1, s->unknown_logp};
	return ne;
}

/* The best route over units [0, p), from the end. */
static void route(struct seg *s, size_t p)
{
	struct edge e[MAX_EDGES];
	s->route[p] = 0.0;
	for (size_t i = p; i-- > 0;) {
		size_t ne = edges_at(s, i, p, e), b = 0;
		double best = e[0].logp + s->route[i + e[0].len];
		for (size_t k = 1; k < ne; k++) {
			double v = e[k].logp + s->route[i + e[k].len];
			if (v > best || (v == best && e[k].len > e[b].len)) {
				best = v;
				b = k;
			}
		}
		s->route[i] = best;
		s->rlen[i] = e[b].len;
		s->rsrc[i] = (uint8_t)e[b].src;
		s->rtag[i] = (int16_t)e[b].tag;
	}
}

static void emit_units(struct seg *s, size_t a, size_t b, int src, int tag)
{
	const struct unit *u = s->u;
	int kind = IL_TOK_HAN;
	if (src == SRC_NUM)
		kind = IL_TOK_NUMBER;
	else if (b - a == 1 && u[a].kind == U_ATOM)
		kind = u[a].tok;
	else if (b - a == 1 && u[a].kind == U_NUMHAN)
		kind = IL_TOK_NUMBER;
	post(s, u[a].start, u[b - 1].end, kind, src, tag);
}

/* Does the HMM's new word over units [a, b) contain a character that is
 * itself a very common word (more than one in FUNCTION_SHARE of all word
 * occurrences: 是 这 一 之 为 等 ...)?  Such characters stand alone far
 * more often than the HMM's training gave them credit for (这是, 一是,
 * 多人, 之光), so the word is not taken. */
static bool hmm_binds_function_char(const struct seg *s, size_t a, size_t b)
{
	const struct il__dict *d = s->d;
	for (size_t i = a; i < b; i++) {
		int32_t st = il__dict_child(d, 0, s->u[i].code);
		int32_t w = st >= 0 ? il__dict_word_at(d, st) : -1;
		if (w >= 0 && (double)d->words[w].freq > FUNCTION_SHARE * (double)d->total_freq)
			return true;
	}
	return false;
}

/* Units [a, b) were single characters on the route: emit them one by
 * one if together they are a dictionary word, else as the HMM cuts them. */
static void flush_singles(struct seg *s, size_t a, size_t b)
{
	const struct unit *u = s->u;
	size_t n = b - a, begin = 0, next = 0;
	if (n == 0)
		return;
	if (n == 1 || is_word(s, u[a].start, u[b - 1].end)) {
		for (size_t i = a; i < b; i++)
			emit_units(s, i, i + 1, s->rsrc[i], s->rtag[i]);
		return;
	}
	for (size_t i = 0; i < n; i++)
		s->hcodes[i] = u[a + i].code;
	il__hmm_viterbi(s->d, s->hcodes, n, s->hback, s->hstate);
	for (size_t i = 0; i < n; i++) {
		switch (s->hstate[i]) {
		case IL__HMM_B:
			begin = i;
			break;
		case IL__HMM_E:
			if (hmm_binds_function_char(s, a + begin, a + i + 1)) {
				for (size_t j = a + begin; j <= a + i; j++)
					emit_units(s, j, j + 1, s->rsrc[j], s->rtag[j]);
				next = i + 1;
				break;
			}
			post(s, u[a + begin].start, u[a + i].end, IL_TOK_HAN, SRC_HMM, -1);
			next = i + 1;
			break;
		case IL__HMM_S:
			emit_units(s, a + i, a + i + 1, s->rsrc[a + i], s->rtag[a + i]);
			next = i + 1;
			break;
		default:
			break;
		}
	}
	if (next < n && hmm_binds_function_char(s, a + next, b))
		for (size_t j = a + next; j < b; j++)
			emit_units(s, j, j + 1, s->rsrc[j], s->rtag[j]);
	else if (next < n)
		post(s, u[a + next].start, u[b - 1].end, IL_TOK_HAN, SRC_HMM, -1);
}

static void emit_route(struct seg *s, size_t p)
{
	size_t x = 0, singles = 0; /* units [singles, x) are single characters */
	while (x < p && !s->rc) {
		size_t l = s->rlen[x];
		if (l == 1 && s->u[x].kind == U_HAN) {
			x++;
			continue;
		}
		flush_singles(s, singles, x);
		emit_units(s, x, x + l, s->rsrc[x], s->rtag[x]);
		x += l;
		singles = x;
	}
	flush_singles(s, singles, x);
}

/*
 * Where to cut a full window: the last unit boundary from the middle on
 * that no edge crosses, so the cut loses no word; WINDOW - MAX_SPAN when
 * edges overlap all the way (then a word may be cut, but time and memory
 * stay bounded).
 */
static size_t find_cut(struct seg *s)
{
	struct edge e[MAX_EDGES];
	size_t n = s->n, hi = n - MAX_SPAN, lo = n / 2, reach = 0, cut = hi;
	for (size_t i = 0; i < hi; i++) {
		if (i >= lo && reach <= i)
			cut = i;
		size_t ne = edges_at(s, i, n, e);
		for (size_t k = 0; k < ne; k++)
			if (i + e[k].len > reach)
				reach = i + e[k].len;
	}
	if (reach <= hi)
		cut = hi;
	return cut;
}

static void window_flush(struct seg *s, bool final)
{
	size_t p;
	if (s->n == 0 || s->rc)
		return;
	p = final ? s->n : find_cut(s);
	route(s, p);
	if (s->dry)
		s->dry_logp += s->route[0];
	else
		emit_route(s, p);
	memmove(s->u, s->u + p, (s->n - p) * sizeof(*s->u));
	s->n -= p;
}

static int seg_init(struct seg *s, const struct il__dict *d, const char *text, size_t len)
{
	size_t cap = len < WINDOW ? len + 1 : WINDOW, bytes = 0, total = 0;
	size_t sizes[8] = {
		cap * sizeof(struct unit),
		(cap + 1) * sizeof(double),
		cap * sizeof(uint32_t),
		cap * sizeof(uint8_t),
		cap * sizeof(int16_t),
		cap * sizeof(uint16_t),
		cap * 4,
		cap,
	};
	memset(s, 0, sizeof(*s));
	s->d = d;
	s->text = text;
	s->len = len;
	s->cap = cap;
	s->num_logp = log(NUM_FREQ) - d->log_total;
	s->unknown_logp = -d->log_total; /* log(1) - log(total) */
	for (int i = 0; i < 8; i++)
		total += (sizes[i] + 15) & ~(size_t)15;
	char *mem = il_malloc(total);
	if (!mem)
		return il_error_set(IL_ENOMEM, "out of memory segmenting %zu bytes", len);
	void **ptrs[8] = {(void **)&s->u,     (void **)&s->route, (void **)&s->rlen,
			  (void **)&s->rsrc,  (void **)&s->rtag,  (void **)&s->hcodes,
			  (void **)&s->hback, (void **)&s->hstate};
	for (int i = 0; i < 8; i++) {
		*ptrs[i] = mem + bytes;
		bytes += (sizes[i] + 15) & ~(size_t)15;
	}
	return IL_OK;
}

static void seg_run(struct seg *s)
{
	size_t p = 0, n, k;
	bool after_alnum = false;
	while (p < s->len && !s->rc) {
		uint32_t cp = dec(s->text + p, &n);
		int c = cclass(cp);
		struct unit un;
		size_t q;
		if (c == C_SPACE) {
			window_flush(s, true);
			after_alnum = false;
			p += n;
			continue;
		}
		if ((q = make_unit(s, p, cp, c, n, after_alnum, &un)) != 0) {
			if (s->n == s->cap)
				window_flush(s, false);
			s->u[s->n++] = un;
			after_alnum = un.kind == U_ATOM;
			p = q;
			continue;
		}
		window_flush(s, true);
		q = p + n;
		if (repeats(cp))
			while (q < s->len && dec(s->text + q, &k) == cp)
				q += k;
		/* combining marks, emoji modifiers and joiners stay with their symbol */
		for (;;) {
			uint32_t nx = peek(s, q, &k);
			if (k && (cclass(nx) == C_MARK || (nx >= 0x1F3FB && nx <= 0x1F3FF) ||
				  nx == 0xFE0F)) {
				q += k;
			} else if (k && nx == 0x200D && q + k < s->len &&
				   cclass(peek(s, q + k, &n)) != C_SPACE) {
				q += k + n;
			} else {
				break;
			}
		}
		if (s->dry)
			s->dry_logp += s->unknown_logp;
		else
			out(s, p, q, IL_TOK_PUNCT);
		after_alnum = false;
		p = q;
	}
	window_flush(s, true);
	if (!s->dry)
		held_flush(s);
}

int il_text_segment(const struct il_text *t, const char *text, size_t len, enum il_seg_mode mode,
		    il_token_fn fn, void *ctx)
{
	struct seg s;
	size_t bad;
	int rc;
	if (!t || !t->dict || (!text && len) || !fn ||
	    (mode != IL_SEG_PRECISE && mode != IL_SEG_SEARCH))
		return il_error_set(IL_EINVAL,
				    "il_text_segment: no analyzer, text or callback, or an "
				    "unknown mode");
	if (len == 0)
		return IL_OK;
	if ((bad = il__seg_utf8_check(text, len)) != len)
		return il_error_set(IL_EENCODING, "invalid UTF-8 at byte offset %zu", bad);
	if ((rc = seg_init(&s, t->dict, text, len)) != IL_OK)
		return rc;
	s.mode = mode;
	s.fn = fn;
	s.ctx = ctx;
	seg_run(&s);
	free(s.u);
	return s.rc;
}

int il__seg_best_logp(const struct il__dict *d, const char *text, size_t len, double *out)
{
	struct seg s;
	int rc;
	*out = 0.0;
	if (len == 0 || il__seg_utf8_check(text, len) != len)
		return IL_OK;
	if ((rc = seg_init(&s, d, text, len)) != IL_OK)
		return rc;
	s.dry = true;
	seg_run(&s);
	*out = s.dry_logp;
	free(s.u);
	return IL_OK;
}
