/* test_io.c - reading and writing cases: JSON, BDM CSV and KTAB CSV round
 * trips, the hash being the same whatever the format, encodings (BOM,
 * CRLF), the shipped cases, and KTAB CSV's quoting and what it refuses.
 * KTAB's own scenario files (../shared) are test_io_ktab.c's. */
#include "helpers.h"

#include <unistd.h>

static const char two_issue_json[] =
	"{\"format\":\"parley-case/1\",\"id\":\"t\",\"title\":\"Test\",\"issues\":["
	"{\"id\":\"a\",\"name\":\"Issue A\",\"scale\":{\"min\":0,\"max\":100},"
	"\"anchors\":[{\"value\":100,\"label\":\"all\"},{\"value\":0,\"label\":\"none\"}],"
	"\"status_quo\":70},"
	"{\"id\":\"b\",\"name\":\"Issue B\"}],"
	"\"actors\":["
	"{\"id\":\"US\",\"name\":\"United States\",\"capability\":100,"
	"\"capability_by_issue\":{\"b\":50},"
	"\"stances\":{\"a\":{\"position\":10,\"salience\":80,\"note\":\"why\"},"
	"\"b\":{\"position\":35.5,\"salience\":12.25}}},"
	"{\"id\":\"CN\",\"capability\":80,\"stances\":{\"a\":{\"position\":60,\"salience\":40}}}],"
	"\"forums\":[{\"id\":\"bi\",\"members\":[\"US\",\"CN\"],\"outsider_weight\":0}],"
	"\"uncertainty\":{\"position\":{\"dist\":\"normal\",\"sd\":5}}}";

static void json_read_fields(void **state)
{
	pl_case *c = case_from(two_issue_json, "t.json");
	assert_int_equal(pl_case_n_issues(c), 2);
	assert_int_equal(pl_case_n_actors(c), 2);
	const pl_issue *a = pl_case_issue(c, 0);
	assert_string_equal(a->name, "Issue A");
	assert_int_equal(a->n_anchors, 2);
	assert_double_equal(a->anchors[0].value, 0, 0); /* sorted */
	assert_true(a->has_status_quo);
	assert_double_equal(a->status_quo, 70, 0);
	assert_false(pl_case_issue(c, 1)->has_status_quo);
	const pl_stance *s = pl_case_stance(c, 0, 1);
	assert_true(s->present);
	assert_double_equal(s->salience, 0.1225, 1e-15);
	assert_double_equal(s->capability, 50, 0);
	assert_double_equal(pl_case_stance(c, 0, 0)->capability, 100, 0);
	assert_false(pl_case_stance(c, 1, 1)->present);
	assert_string_equal(pl_case_actor(c, 1)->name, "CN"); /* defaults to the id */
	assert_int_equal(pl_case_get_uncertainty(c)->position.kind, PL_DIST_NORMAL);
	size_t f;
	assert_int_equal(pl_case_find_forum(c, "bi", &f, NULL), PL_OK);
	assert_int_equal(pl_case_forum(c, f)->n_members, 2);
	pl_case_free(c);
}

static void json_round_trip_is_stable(void **state)
{
	pl_case *c = case_from(two_issue_json, "t.json");
	char *j1 = NULL, *j2 = NULL;
	assert_int_equal(pl_case_write_json(c, &j1, NULL), PL_OK);
	pl_case *d = case_from(j1, "t2.json");
	assert_int_equal(pl_case_write_json(d, &j2, NULL), PL_OK);
	assert_string_equal(j1, j2);
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	free(j1);
	free(j2);
	pl_case_free(c);
	pl_case_free(d);
}

/* Every whole salience (stored / 100) must write back as itself: 58 / 100 *
 * 100 is 57.999999999999993 in binary and once came back as 57 (found by
 * fuzz_case_json). */
static void saliences_round_trip_exactly(void **state)
{
	for (int sal = 0; sal <= 100; sal++) {
		char text[256], *out = NULL;
		snprintf(text, sizeof text,
			 "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":1,"
			 "\"stances\":{\"x\":{\"position\":50,\"salience\":%d}}}]}",
			 sal);
		pl_case *c = case_from(text, "s.json");
		assert_int_equal(pl_case_write_json(c, &out, NULL), PL_OK);
		char want[64];
		snprintf(want, sizeof want, "\"salience\": %d\n", sal);
		if (!strstr(out, want))
			fail_msg("salience %d written as: %s", sal, strstr(out, "\"salience\""));
		free(out);
		pl_case_free(c);
	}
}

static void csv_round_trip_and_hash(void **state)
{
	const char csv[] = "# name: Emissions\n"
			   "Actor,Capability,Position,Salience\n"
			   "DE,10,4,80\n"
			   "FR,10,10,60\n"
			   "UK,10,10,90\n";
	pl_case *c = case_from(csv, "emissions.csv");
	assert_string_equal(pl_case_issue(c, 0)->id, "emissions");
	assert_string_equal(pl_case_issue(c, 0)->name, "Emissions");
	assert_double_equal(pl_case_stance(c, 2, 0)->salience, 0.9, 1e-15);
	char *out = NULL;
	const char *lost = "x";
	assert_int_equal(pl_case_write_csv(c, 0, &out, &lost, NULL), PL_OK);
	assert_null(lost);
	pl_case *d = case_from(out, "emissions.csv");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	free(out);
	pl_case_free(d);
	/* the same data with saliences on 0-1 is the same case */
	const char csv01[] = "# name: Emissions\n"
			     "Actor,Capability,Position,Salience\n"
			     "DE,10,4,0.8\nFR,10,10,0.6\nUK,10,10,0.9\n";
	d = case_from(csv01, "emissions.csv");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	pl_case_free(d);
	pl_case_free(c);
}

static void bom_and_crlf_read_the_same(void **state)
{
	const char plain[] = "Actor,Capability,Position,Salience\nA,1,20,50\nB,2,80,50\n";
	const char crlf[] = "\xEF\xBB\xBF"
			    "Actor,Capability,Position,Salience\r\nA,1,20,50\r\nB,2,80,50\r\n";
	pl_case *a = case_from(plain, "x.csv"), *b = case_from(crlf, "x.csv");
	assert_string_equal(pl_case_hash(a), pl_case_hash(b));
	pl_case_free(a);
	pl_case_free(b);
	char *bomjson = malloc(sizeof two_issue_json + 3);
	memcpy(bomjson, "\xEF\xBB\xBF", 3);
	memcpy(bomjson + 3, two_issue_json, sizeof two_issue_json);
	a = case_from(two_issue_json, "t.json");
	b = case_from(bomjson, "t.json");
	assert_string_equal(pl_case_hash(a), pl_case_hash(b));
	free(bomjson);
	pl_case_free(a);
	pl_case_free(b);
}

static void ktab_round_trip(void **state)
{
	const char ktab[] = "Demo ,\"A demo scenario\",3,2,\n"
			    "Actor,Description,Power,Policy Position,Policy Salience,Pstn2,Sal2,\n"
			    "A1, First actor, 100, 30, 24.5, 20, 48,\n"
			    "A2, Second,  60.2, 45, 44.7, 65, 41.3,\n"
			    "A3, Third,   35, 30, 28.9, 15, 65.1,\n";
	pl_case *c = case_from(ktab, "demo.csv");
	assert_int_equal(pl_case_n_issues(c), 2);
	assert_string_equal(pl_case_issue(c, 0)->id, "policy");
	assert_string_equal(pl_case_issue(c, 1)->id, "pstn2");
	assert_string_equal(pl_case_actor(c, 1)->name, "Second");
	assert_double_equal(pl_case_stance(c, 1, 0)->salience, 0.447, 1e-15);
	char *out = NULL;
	const char *lost;
	assert_int_equal(pl_case_write_ktab(c, &out, &lost, NULL), PL_OK);
	pl_case *d = case_from(out, "demo.csv");
	assert_int_equal(pl_case_n_actors(d), 3);
	assert_double_equal(pl_case_stance(d, 2, 1)->position, 15, 0);
	assert_double_equal(pl_case_stance(d, 2, 1)->salience, 0.651, 1e-15);
	free(out);
	pl_case_free(d);
	pl_case_free(c);
}

/* A case whose strings need KTAB's quoting: commas, quotes (at the ends
 * too), spaces at the ends, UTF-8; its ids are the ones KTAB CSV derives
 * from the names, so nothing is lost. */
static const char tricky_json[] =
	"{\"id\":\"tricky-quoted-title\",\"title\":\"Tricky, \\\"quoted\\\" \xe2\x80\x94 "
	"\xc3\xa9 \xe4\xb8\xad title\","
	"\"description\":\"Desc, with \\\"quotes\\\"; $ & ;\","
	"\"issues\":[{\"id\":\"issue-one\",\"name\":\"Issue, one\"},"
	"{\"id\":\"spaced\",\"name\":\" spaced_ \"},{\"id\":\"j\",\"name\":\"{j}\"}],"
	"\"actors\":["
	"{\"id\":\"A1\",\"name\":\"Alpha, \\\"the\\\" first\",\"capability\":10,\"stances\":{"
	"\"issue-one\":{\"position\":10,\"salience\":30},\"spaced\":{\"position\":20,"
	"\"salience\":30},\"j\":{\"position\":1,\"salience\":1}}},"
	"{\"id\":\"B-2\",\"name\":\" lead space\",\"capability\":20.5,\"stances\":{"
	"\"issue-one\":{\"position\":80,\"salience\":40},\"spaced\":{\"position\":60.25,"
	"\"salience\":20},\"j\":{\"position\":2,\"salience\":2}}},"
	"{\"id\":\"C.3\",\"name\":\"\\\"quoted at ends\\\"\",\"capability\":30,\"stances\":{"
	"\"issue-one\":{\"position\":50,\"salience\":20},\"spaced\":{\"position\":40,"
	"\"salience\":50},\"j\":{\"position\":3,\"salience\":3}}}]}";

static char *write_ktab_ok(const pl_case *c, const char **lost)
{
	char *out = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_write_ktab(c, &out, lost, &err);
	if (rc)
		print_error("%s: %s\n", err.where, err.message);
	assert_int_equal(rc, PL_OK);
	return out;
}

/* Quoted fields: written as KTAB's reader reads them (a comma inside
 * quotes, '"' as &quot;), recognised as KTAB CSV by the format guess, and
 * read back to the same case. */
static void ktab_quoting_round_trip(void **state)
{
	pl_case *c = case_from(tricky_json, "tricky.json");
	const char *lost = "?";
	char *out = write_ktab_ok(c, &lost);
	assert_null(lost);
	assert_non_null(strstr(out, "\"Tricky, &quot;quoted&quot; \xe2\x80\x94 \xc3\xa9 "));
	assert_non_null(strstr(out, "A1,\"Alpha, &quot;the&quot; first\",10,"));
	assert_non_null(strstr(out, "C.3,&quot;quoted at ends&quot;,30,"));
	assert_non_null(strstr(out, ",\" spaced_  Position\","));
	assert_int_equal(pl_format_guess("x.csv", out, strlen(out)), PL_FORMAT_KTAB);
	assert_int_equal(pl_format_guess(NULL, out, strlen(out)), PL_FORMAT_KTAB);
	pl_case *d = case_from(out, "tricky.csv");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	assert_string_equal(pl_case_actor(d, 2)->name, "\"quoted at ends\"");
	assert_string_equal(pl_case_issue(d, 1)->name, " spaced_ ");
	free(out);
	pl_case_free(d);
	pl_case_free(c);
}

/* KTAB's reader turns "$$" into ',' and "&quot;" into '"'; so does parley's.
 * A title starting with '{' is quoted, or the file would pass for JSON. */
static void ktab_reader_unescapes(void **state)
{
	const char ktab[] = "\"{Demo}, two\",a$$b &quot;c&quot;,2,1\n"
			    "Actor,Description,Power,X$$Y Position,X Salience\n"
			    "A,&quot;Alpha&quot;$$ first,10,20,30\nB,,20,40,50\n";
	pl_case *c = case_from(ktab, "d.csv");
	assert_string_equal(pl_case_get_info(c)->title, "{Demo}, two");
	assert_string_equal(pl_case_get_info(c)->description, "a,b \"c\"");
	assert_string_equal(pl_case_issue(c, 0)->name, "X,Y");
	assert_string_equal(pl_case_actor(c, 0)->name, "\"Alpha\", first");
	assert_string_equal(pl_case_actor(c, 1)->name, "B"); /* empty: the id */
	const char *lost;
	char *out = write_ktab_ok(c, &lost);
	assert_null(lost);
	assert_int_equal(strncmp(out, "\"{Demo}, two\",\"a, b", 14), 0);
	pl_case *d = case_from(out, "d2.csv");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	free(out);
	pl_case_free(d);
	pl_case_free(c);
}

/* Ids made from names (KTAB's scenario name, dimension names, actor names
 * that are not ids) are valid ids: at most 64 characters, even when a dash
 * falls on the 64th (it used to give 65, which the JSON reader refuses). */
static void ktab_derived_ids_are_ids(void **state)
{
	char text[512];
	snprintf(text, sizeof text,
		 "%s b,d,2,1\nActor,Description,Power,%s c Position,X Salience\n"
		 "%s d,a,1,10,20\nB,b,2,30,40\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		 "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
	pl_case *c = case_from(text, "long.csv");
	const char *ids[] = {pl_case_get_info(c)->id, pl_case_issue(c, 0)->id,
			     pl_case_actor(c, 0)->id};
	for (int k = 0; k < 3; k++) {
		assert_true(strlen(ids[k]) == 63);
		assert_true(ids[k][62] != '-');
	}
	char *json = NULL;
	assert_int_equal(pl_case_write_json(c, &json, NULL), PL_OK);
	pl_case *d = case_from(json, "long.json");
	assert_string_equal(pl_case_hash(c), pl_case_hash(d));
	free(json);
	pl_case_free(d);
	pl_case_free(c);
}

static void ktab_refuses(const char *json, const char *where, const char *msg)
{
	pl_case *c = case_from(json, "r.json");
	char *out = NULL;
	const char *lost = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_write_ktab(c, &out, &lost, &err);
	if (rc != PL_EINPUT || strcmp(err.where, where) || !strstr(err.message, msg))
		print_error("got %d: %s: %s\n", rc, err.where, err.message);
	assert_int_equal(rc, PL_EINPUT);
	assert_string_equal(err.where, where);
	assert_non_null(strstr(err.message, msg));
	assert_null(out);
	pl_case_free(c);
}

#define KT_CASE(title, issue, id, name)                                                            \
	"{\"title\":\"" title "\",\"issues\":[{\"id\":\"x\",\"name\":\"" issue "\"}],"             \
	"\"actors\":[{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":1,"           \
	"\"salience\":1}}},{\"id\":\"" id "\",\"name\":\"" name "\",\"capability\":2,"             \
	"\"stances\":{\"x\":{\"position\":2,\"salience\":2}}}]}"

/* What KTAB's own reader cannot take is refused, naming the field: it
 * reads a record per line, turns "$$" and "&quot;" into ',' and '"', and
 * has length limits. */
static void ktab_refuses_what_ktab_cannot_read(void **state)
{
	ktab_refuses(KT_CASE("T", "X", "B", "Beta\\nline"), "$.actors[1].name",
		     "'Beta\\nline' has a line break");
	ktab_refuses(KT_CASE("T", "X", "B", "Beta\\r"), "$.actors[1].name", "line break");
	ktab_refuses(KT_CASE("T\\nU", "X", "B", "b"), "$.title", "line break");
	ktab_refuses(KT_CASE("US$$", "X", "B", "b"), "$.title", "\"$$\"");
	ktab_refuses(KT_CASE("T", "a &quot; b", "B", "b"), "$.issues[0].name", "&quot;");
	ktab_refuses(KT_CASE("T", "X", "B2345678901234567890123456", "b"), "$.actors[1].id",
		     "(26 bytes, at most 25");
	/* 248 bytes of issue name: its "NAME Position" header is 257 */
	char name[249], json[1024];
	memset(name, 'n', 248);
	name[248] = '\0';
	snprintf(json, sizeof json, KT_CASE("T", "%s", "B", "b"), name);
	ktab_refuses(json, "$.issues[0].name", "at most 247");
	name[247] = '\0';
	snprintf(json, sizeof json, KT_CASE("T", "%s", "B", "b"), name);
	pl_case *c = case_from(json, "ok.json");
	const char *lost;
	free(write_ktab_ok(c, &lost));
	pl_case_free(c);
}

#define KT_NUMS(cap, s1, s2)                                                                       \
	"{\"title\":\"T\",\"issues\":[{\"id\":\"x\",\"name\":\"X\"},{\"id\":\"y\",\"name\":\"Y\"}],"  \
	"\"actors\":[{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":1,"           \
	"\"salience\":1},\"y\":{\"position\":1,\"salience\":1}}},{\"id\":\"B\",\"capability\":" cap \
	",\"stances\":{\"x\":{\"position\":2,\"salience\":" s1 "},\"y\":{\"position\":2,"           \
	"\"salience\":" s2 "}}}]}"

static void ktab_writes(const char *json)
{
	pl_case *c = case_from(json, "ok.json");
	const char *lost;
	char *out = write_ktab_ok(c, &lost);
	pl_case *d = case_from(out, "ok.csv");
	assert_int_equal(pl_case_n_actors(d), 2);
	free(out);
	pl_case_free(d);
	pl_case_free(c);
}

/* KTAB's reader (SMPModel::csvRead) refuses a Power above 1E8 and an actor
 * whose saliences, as read from the file and added in order, pass 100; both
 * limits themselves are taken.  The writer checks the numbers it writes
 * (15 significant digits), so its boundary is the reader's. */
static void ktab_refuses_numbers_ktab_cannot_read(void **state)
{
	ktab_refuses(KT_NUMS("2", "70", "60"), "$.actors[1]",
		     "saliences add up to 130 over the issues; KTAB's reader refuses more than 100");
	ktab_refuses(KT_NUMS("2", "50", "50.0000000000001"), "$.actors[1]",
		     "saliences add up to 100.0000000000001 over");
	/* written as 50 and 50.0000000000001 (15 digits): just over 100 in KTAB */
	ktab_refuses(KT_NUMS("2", "50", "50.00000000000006"), "$.actors[1]",
		     "saliences add up to 100.0000000000001 over");
	ktab_refuses(KT_NUMS("100000000.5", "1", "1"), "$.actors[1].capability",
		     "capability 100000000.5 is above 10^8; KTAB's reader refuses a Power");
	ktab_refuses(KT_NUMS("1e9", "1", "1"), "$.actors[1].capability",
		     "capability 1000000000 is above 10^8");
	ktab_writes(KT_NUMS("100000000", "60", "40"));
	/* 0.1 + 99.9 is 100 in binary too; 33.3333333333333 +
	 * 66.6666666666667 as well: KTAB takes both */
	ktab_writes(KT_NUMS("2", "0.1", "99.9"));
	ktab_writes(KT_NUMS("2", "33.3333333333333", "66.6666666666667"));
	/* written as 50 and 50 (15 digits), which KTAB takes */
	ktab_writes(KT_NUMS("2", "50", "50.000000000000004"));
}

/* *lost is NULL exactly when the text reads back as the same case. */
static void ktab_says_what_is_lost(void **state)
{
	const char *lost = NULL;
	/* the id is not the one derived from the title */
	pl_case *c = case_from(KT_CASE("T", "X", "B", "b"), "ids.json");
	free(write_ktab_ok(c, &lost));
	assert_non_null(lost);
	assert_non_null(strstr(lost, "case id and issue ids"));
	assert_null(strstr(lost, "notes"));
	pl_case_free(c);
	/* a description on two lines is left out, and said so */
	c = case_from(
		"{\"id\":\"t\",\"title\":\"T\",\"description\":\"a\\nb\",\"issues\":[{\"id\":"
		"\"x\",\"name\":\"X\"}],\"actors\":[{\"id\":\"A\",\"capability\":1,\"stances\":"
		"{\"x\":{\"position\":1,\"salience\":1}}}]}",
		"desc.json");
	char *out = write_ktab_ok(c, &lost);
	assert_non_null(lost);
	assert_null(strstr(lost, "case id"));
	assert_non_null(strstr(lost, "description"));
	assert_int_equal(strncmp(out, "T,,1,1\n", 7), 0);
	free(out);
	pl_case_free(c);
	/* ids, and notes, anchors, ... */
	c = case_from("{\"id\":\"other\",\"title\":\"T\",\"issues\":[{\"id\":\"x\",\"name\":\"X\","
		      "\"anchors\":[{\"value\":0,\"label\":\"none\"}]}],\"actors\":[{\"id\":\"A\","
		      "\"capability\":1,\"note\":\"n\",\"stances\":{\"x\":{\"position\":1,"
		      "\"salience\":1}}}]}",
		      "notes.json");
	free(write_ktab_ok(c, &lost));
	assert_non_null(strstr(lost, "case id and issue ids"));
	assert_non_null(strstr(lost, "notes"));
	pl_case_free(c);
	/* the shipped Korean case: its USA cares about 345 % of the issues */
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(
		pl_case_read_file("data/cases/korea-six-party.json", PL_FORMAT_AUTO, &c, &err),
		PL_OK);
	char *out_k = NULL;
	assert_int_equal(pl_case_write_ktab(c, &out_k, &lost, &err), PL_EINPUT);
	assert_string_equal(err.where, "$.actors[0]");
	assert_non_null(strstr(err.message, "saliences add up to 345"));
	assert_null(out_k);
	pl_case_free(c);
}

/* ---- PL_KTAB_RESCALE ---- */

/* The largest salience sum and Power of KTAB CSV text as KTAB's reader
 * sees them: numbers parsed as written, saliences added in file order (the
 * test cases have no quoted fields). */
static void ktab_text_numbers(const char *text, double *max_sum, double *max_power)
{
	*max_sum = 0;
	*max_power = 0;
	const char *line = strchr(strchr(text, '\n') + 1, '\n') + 1;
	for (; *line; line = strchr(line, '\n') + 1) {
		double sum = 0;
		int field = 0;
		for (const char *p = line; *p != '\n'; field++) {
			if (field == 2 && strtod(p, NULL) > *max_power)
				*max_power = strtod(p, NULL);
			if (field >= 4 && field % 2 == 0)
				sum += strtod(p, NULL);
			p += strcspn(p, ",\n");
			if (*p == ',')
				p++;
		}
		*max_sum = sum > *max_sum ? sum : *max_sum;
	}
}

static char *write_rescaled(const pl_case *c, const char **lost, pl_ktab_rescale *r)
{
	char *out = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_write_ktab_ex(c, PL_KTAB_RESCALE, &out, lost, r, &err);
	if (rc)
		print_error("%s: %s\n", err.where, err.message);
	assert_int_equal(rc, PL_OK);
	return out;
}

/* The shipped Korean case: the largest sum is the DPRK's, 440, so every
 * salience is divided by 4.4; the file passes KTAB's check, reads back, and
 * every salience is the original / 4.4, so every ratio is kept. */
static void ktab_rescale_korean_case(void **state)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(
		pl_case_read_file("data/cases/korea-six-party.json", PL_FORMAT_AUTO, &c, &err),
		PL_OK);
	const char *lost = NULL;
	pl_ktab_rescale r;
	char *out = write_rescaled(c, &lost, &r);
	assert_double_equal(r.salience_divisor, 4.4, 4.4 * 1e-14);
	assert_double_equal(r.capability_divisor, 1, 0);
	assert_non_null(strstr(r.note, "saliences divided by 4.4 so that no actor's add up to "
				       "more than 100 (KTAB's limit)"));
	assert_non_null(strstr(r.note, "eu and smp"));
	assert_null(strstr(r.note, "capabilities divided"));
	assert_non_null(lost); /* notes, forums, ... as without rescaling */
	double sum, power;
	ktab_text_numbers(out, &sum, &power);
	assert_true(sum <= 100);
	assert_double_equal(sum, 100, 1e-12);
	pl_case *d = case_from(out, "k.csv");
	size_t n = pl_case_n_actors(c) * pl_case_n_issues(c);
	for (size_t k = 0; k < n; k++) {
		size_t a = k / pl_case_n_issues(c), i = k % pl_case_n_issues(c);
		double s0 = pl_case_stance(c, a, i)->salience,
		       s1 = pl_case_stance(d, a, i)->salience;
		assert_double_equal(s1 * r.salience_divisor, s0, s0 * 1e-14);
		/* ratios with the first salience */
		double f0 = pl_case_stance(c, 0, 0)->salience,
		       f1 = pl_case_stance(d, 0, 0)->salience;
		assert_double_equal(s1 / f1, s0 / f0, s0 / f0 * 1e-13);
		assert_double_equal(pl_case_stance(d, a, i)->position,
				    pl_case_stance(c, a, i)->position, 0);
	}
	for (size_t a = 0; a < pl_case_n_actors(c); a++)
		assert_double_equal(pl_case_actor(d, a)->capability,
				    pl_case_actor(c, a)->capability, 0);
	free(out);
	pl_case_free(d);
	pl_case_free(c);
}

#define KT_THREE(s1, s2, s3)                                                                       \
	"{\"id\":\"t\",\"title\":\"T\",\"issues\":[{\"id\":\"x\",\"name\":\"X\"},{\"id\":\"y\","   \
	"\"name\":\"Y\"},{\"id\":\"z\",\"name\":\"Z\"}],\"actors\":[{\"id\":\"A\",\"capability\":" \
	"10,\"stances\":{\"x\":{\"position\":10,\"salience\":" s1 "},\"y\":{\"position\":20,"      \
	"\"salience\":" s2 "},\"z\":{\"position\":30,\"salience\":" s3 "}}},{\"id\":\"B\","        \
	"\"capability\":20,\"stances\":{\"x\":{\"position\":80,\"salience\":30},\"y\":{"           \
	"\"position\":70,\"salience\":30},\"z\":{\"position\":60,\"salience\":30}}}]}"

/* Saliences 55, 80 and 39 divided by 1.74 are written 31.6091954022989,
 * 45.9770114942529 and 22.4137931034483, which KTAB's reader adds up to just
 * over 100 and refuses: the factor is nudged up until the written numbers
 * pass (the first one is then written ...988). */
static void ktab_rescale_rounding_edge(void **state)
{
	double naive = 0;
	const double sal[] = {55, 80, 39};
	char num[40];
	for (int k = 0; k < 3; k++) {
		snprintf(num, sizeof num, "%.15g", sal[k] / 100 / 1.74 * 100);
		naive += strtod(num, NULL);
	}
	assert_true(naive > 100); /* the case does hit the edge */
	pl_case *c = case_from(KT_THREE("55", "80", "39"), "edge.json");
	const char *lost = "?";
	pl_ktab_rescale r;
	char *out = write_rescaled(c, &lost, &r);
	assert_true(r.salience_divisor > 1.74);
	assert_double_equal(r.salience_divisor, 1.74, 1.74 * 1e-14);
	assert_non_null(strstr(r.note, "saliences divided by 1.74 "));
	assert_null(lost); /* the text reads back as the rescaled case */
	assert_non_null(strstr(out, "\nA,A,10,10,31.6091954022988,20,45.9770114942529,30,"
				    "22.4137931034483\n"));
	double sum, power;
	ktab_text_numbers(out, &sum, &power);
	assert_true(sum <= 100);
	free(out);
	pl_case_free(c);
}

/* The largest actor's salience sum as written, / 100. */
static double naive_divisor(const pl_case *c)
{
	double max = 0;
	char num[40];
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		double sum = 0;
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			snprintf(num, sizeof num, "%.15g", pl_case_stance(c, a, i)->salience * 100);
			sum += strtod(num, NULL);
		}
		max = sum > max ? sum : max;
	}
	return max / 100;
}

/* Random cases over the limit: every file passes KTAB's check, and the
 * factor is tight (the largest actor's sum is 100 to 12 digits). */
static void ktab_rescale_random_cases_pass(void **state)
{
	uint64_t x = 88172645463325252u;
	int nudged = 0;
	for (int t = 0; t < 400; t++) {
		char json[4096], stances[2048];
		size_t len = (size_t)snprintf(json, sizeof json,
					      "{\"id\":\"t\",\"title\":\"T\","
					      "\"issues\":[");
		int n_issues = 2 + t % 5;
		for (int i = 0; i < n_issues; i++)
			len += (size_t)snprintf(json + len, sizeof json - len,
						"%s{\"id\":\"i%d\",\"name\":\"I%d\"}", i ? "," : "",
						i, i);
		len += (size_t)snprintf(json + len, sizeof json - len, "],\"actors\":[");
		for (int a = 0; a < 3; a++) {
			size_t sl = 0;
			for (int i = 0; i < n_issues; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				sl += (size_t)snprintf(
					stances + sl, sizeof stances - sl,
					"%s\"i%d\":{\"position\":%d,\"salience\":%.3f}",
					i ? "," : "", i, (int)(x % 101),
					(double)(x % 100001) / 1000.0);
			}
			len += (size_t)snprintf(
				json + len, sizeof json - len,
				"%s{\"id\":\"A%d\",\"capability\":%.4g,\"stances\":{%s}}",
				a ? "," : "", a, (double)(x % 1000) * 1e6 + 1, stances);
		}
		snprintf(json + len, sizeof json - len, "]}");
		pl_case *c = case_from(json, "random.json");
		const char *lost;
		pl_ktab_rescale r;
		char *out = write_rescaled(c, &lost, &r);
		double sum, power;
		ktab_text_numbers(out, &sum, &power);
		if (r.salience_divisor != 1) {
			assert_true(sum <= 100);
			assert_double_equal(sum, 100, 1e-10);
		}
		assert_true(power <= 1e8);
		if (r.capability_divisor != 1)
			assert_double_equal(power, 1e8, 1e-6);
		nudged += r.salience_divisor != 1 && r.salience_divisor != naive_divisor(c);
		free(out);
		pl_case_free(c);
	}
	/* some of them hit the rounding edge (about a quarter do) */
	assert_true(nudged > 20);
}

/* Capabilities over 10^8: all divided by the largest / 10^8, ratios kept;
 * saliences within the limit are left as they are. */
static void ktab_rescale_capabilities(void **state)
{
	pl_case *c = case_from(KT_NUMS("300000000", "60", "40"), "cap.json");
	const char *lost;
	pl_ktab_rescale r;
	char *out = write_rescaled(c, &lost, &r);
	assert_double_equal(r.capability_divisor, 3, 0);
	assert_double_equal(r.salience_divisor, 1, 0);
	assert_non_null(strstr(r.note, "capabilities divided by 3 so that none is above 10^8"));
	assert_null(strstr(r.note, "saliences divided"));
	assert_non_null(strstr(r.note, "every engine reads capabilities only as ratios"));
	assert_non_null(strstr(out, "\nA,A,0.333333333333333,1,1,1,1\n"));
	assert_non_null(strstr(out, "\nB,B,100000000,2,60,2,40\n"));
	free(out);
	pl_case_free(c);
	c = case_from(KT_NUMS("123456789.123", "60", "70"), "cap2.json");
	out = write_rescaled(c, &lost, &r);
	double sum, power;
	ktab_text_numbers(out, &sum, &power);
	assert_true(power <= 1e8 && sum <= 100);
	assert_double_equal(r.capability_divisor, 1.23456789123, 1e-14);
	assert_double_equal(r.salience_divisor, 1.3, 1e-14);
	assert_non_null(strstr(r.note, "; capabilities divided by 1.23456789123 "));
	pl_case *d = case_from(out, "cap2.csv");
	assert_double_equal(pl_case_actor(d, 1)->capability / pl_case_actor(d, 0)->capability,
			    123456789.123, 123456789.123 * 1e-14);
	free(out);
	pl_case_free(d);
	pl_case_free(c);
}

/* Within the limits nothing is divided and the text is the same as
 * without the flag; a flag the library does not know is refused; and the
 * refusal without the flag says what would help. */
static void ktab_rescale_only_when_needed(void **state)
{
	pl_case *c = case_from(tricky_json, "tricky.json");
	const char *lost = "?";
	pl_ktab_rescale r;
	char *out = write_rescaled(c, &lost, &r);
	assert_null(lost);
	assert_double_equal(r.salience_divisor, 1, 0);
	assert_double_equal(r.capability_divisor, 1, 0);
	assert_string_equal(r.note, "");
	char *plain = write_ktab_ok(c, &lost);
	assert_string_equal(out, plain);
	free(plain);
	free(out);
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_case_write_ktab_ex(c, 0x2, &out, &lost, NULL, &err), PL_EINPUT);
	assert_null(out);
	assert_non_null(strstr(err.message, "knows only PL_KTAB_RESCALE"));
	/* NULL rescaled is fine */
	assert_int_equal(pl_case_write_ktab_ex(c, PL_KTAB_RESCALE, &out, &lost, NULL, &err), PL_OK);
	free(out);
	pl_case_free(c);
	ktab_refuses(KT_NUMS("2", "70", "60"), "$.actors[1]",
		     "(--rescale divides every salience of the case by the same factor)");
	ktab_refuses(KT_NUMS("1e9", "1", "1"), "$.actors[1].capability",
		     "(--rescale divides every capability of the case by the same factor)");
}

static void shipped_cases_read(void **state)
{
	const char *cases[] = {"data/cases/korea-six-party.json"};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		int rc = pl_case_read_file(cases[k], PL_FORMAT_AUTO, &c, &err);
		if (rc) {
			char buf[2048];
			print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
		}
		assert_int_equal(rc, PL_OK);
		assert_true(pl_case_n_actors(c) >= 6);
		pl_case_free(c);
	}
}

static void atomic_write_leaves_nothing_on_failure(void **state)
{
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_write_file_atomic("/nonexistent-dir/x.json", "x", 1, &err), PL_EINPUT);
	assert_string_equal(err.where, "/nonexistent-dir/x.json");
	char tmpl[] = "/tmp/parley-test-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char path[256];
	snprintf(path, sizeof path, "%s/out.json", tmpl);
	assert_int_equal(pl_write_file_atomic(path, "hello\n", 6, NULL), PL_OK);
	size_t len;
	char *back = slurp(path, &len);
	assert_string_equal(back, "hello\n");
	free(back);
	unlink(path);
	rmdir(tmpl);
}

/* The readers find duplicate actors by hash: a case of many actors is read
 * whole, and a repeat far from its first use is named with the first one's
 * line (CSV) or index (JSON); a member list is resolved the same way. */
static void many_actors_and_a_late_duplicate(void **state)
{
	(void)state;
	enum { N = 20000 };
	size_t cap = (size_t)N * 128 + 4096; /* a JSON actor takes about 75 bytes */
	char *csv = malloc(cap), *ktab = malloc(cap), *json = malloc(cap), buf[512];
	assert_non_null(csv);
	assert_non_null(ktab);
	assert_non_null(json);
	size_t lc = (size_t)snprintf(csv, cap, "Actor,Capability,Position,Salience\n");
	size_t lk = (size_t)snprintf(ktab, cap, "many,,%d,1\nActor,Description,Power,d0,s0\n", N);
	size_t lj = (size_t)snprintf(json, cap,
				     "{\"format\":\"parley-case/1\",\"id\":\"m\",\"title\":\"M\","
				     "\"issues\":[{\"id\":\"i\",\"name\":\"I\"}],\"actors\":[");
	for (int a = 0; a < N; a++) {
		lc += (size_t)snprintf(csv + lc, cap - lc, "a%d,1,%d,50\n", a, a % 101);
		lk += (size_t)snprintf(ktab + lk, cap - lk, "a%d,,1,%d,50\n", a, a % 101);
		lj += (size_t)snprintf(json + lj, cap - lj,
				       "%s{\"id\":\"a%d\",\"capability\":1,\"stances\":"
				       "{\"i\":{\"position\":%d,\"salience\":50}}}",
				       a ? "," : "", a, a % 101);
	}
	snprintf(json + lj, cap - lj, "],\"forums\":[{\"id\":\"f\",\"members\":[\"a%d\",\"a7\"]}]}",
		 N - 1);
	pl_case *c = case_from(csv, "m.csv");
	assert_int_equal(pl_case_n_actors(c), N);
	pl_case_free(c);
	c = case_from(ktab, "m-ktab.csv");
	assert_int_equal(pl_case_n_actors(c), N);
	pl_case_free(c);
	c = case_from(json, "m.json");
	assert_int_equal(pl_case_n_actors(c), N);
	assert_int_equal(pl_case_forum(c, 0)->n_members, 2);
	pl_case_free(c);
	/* the last actor repeats the 8th (a7, line 9 of the CSV) */
	snprintf(csv + lc, cap - lc, "a7,1,1,1\n");
	assert_string_equal(read_error(csv, strlen(csv), "m.csv", PL_FORMAT_CSV, buf, sizeof buf),
			    "m.csv:20002: duplicate actor 'a7' (also line 9)");
	/* KTAB: the declared count one more, the repeat at the end */
	char *k2 = malloc(cap);
	assert_non_null(k2);
	int hl = snprintf(k2, cap, "many,,%d,1\n", N + 1);
	const char *rest = strchr(ktab, '\n') + 1;
	snprintf(k2 + hl, cap - (size_t)hl, "%sa7,,1,1,1\n", rest);
	assert_string_equal(read_error(k2, strlen(k2), "m-ktab.csv", PL_FORMAT_KTAB, buf, sizeof buf),
			    "m-ktab.csv:20003: duplicate actor 'a7'");
	free(k2);
	char *dup = strstr(json, "{\"id\":\"a19999\"");
	assert_non_null(dup);
	memcpy(dup + 7, "a7\"    ", 7); /* a19999" -> a7" and spaces: the same length */
	const char *msg = read_error(json, strlen(json), "m.json", PL_FORMAT_JSON, buf, sizeof buf);
	assert_string_equal(msg, "m.json: $.actors[19999].id: duplicate actor id 'a7' (also $.actors[7])");
	free(csv);
	free(ktab);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_read_fields),
		cmocka_unit_test(json_round_trip_is_stable),
		cmocka_unit_test(saliences_round_trip_exactly),
		cmocka_unit_test(csv_round_trip_and_hash),
		cmocka_unit_test(bom_and_crlf_read_the_same),
		cmocka_unit_test(ktab_round_trip),
		cmocka_unit_test(ktab_quoting_round_trip),
		cmocka_unit_test(ktab_reader_unescapes),
		cmocka_unit_test(ktab_derived_ids_are_ids),
		cmocka_unit_test(ktab_refuses_what_ktab_cannot_read),
		cmocka_unit_test(ktab_refuses_numbers_ktab_cannot_read),
		cmocka_unit_test(ktab_says_what_is_lost),
		cmocka_unit_test(ktab_rescale_korean_case),
		cmocka_unit_test(ktab_rescale_rounding_edge),
		cmocka_unit_test(ktab_rescale_random_cases_pass),
		cmocka_unit_test(ktab_rescale_capabilities),
		cmocka_unit_test(ktab_rescale_only_when_needed),
		cmocka_unit_test(shipped_cases_read),
		cmocka_unit_test(many_actors_and_a_late_duplicate),
		cmocka_unit_test(atomic_write_leaves_nothing_on_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
