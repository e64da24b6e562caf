/* test_badinput.c - every kind of bad input gets its exact, clear error:
 * the file, the line or JSON path, and the rule broken.  None crashes.
 * (The CLI test checks that each exits with status 2.) */
#include "helpers.h"

#define GOOD_ACTOR                                                                                 \
	"{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":50,\"salience\":50}}}"

/* A one-issue case whose issue has the outcome O (JSON text). */
#define OC_ISSUE(O) "{\"issues\":[{\"id\":\"x\",\"outcome\":" O "}],\"actors\":[" GOOD_ACTOR "]}"

typedef struct bad {
	const char *name, *text, *expect;
} bad;

static const bad json_cases[] = {
	{"c.json", "{\"issues\": [", "c.json:1:12: invalid JSON: ']' expected near end of file"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],}",
	 "c.json:1:107: invalid JSON: string or '}' expected near '}'"},
	{"c.json", "[1,2]", "c.json: $: must be an object, not an array"},
	{"c.json", "{\"actors\":[" GOOD_ACTOR "]}", "c.json: $.issues: is required"},
	{"c.json", "{\"issues\":{},\"actors\":[]}", "c.json: $.issues: must be an array, not an object"},
	{"c.json", "{\"issues\":[],\"actors\":[" GOOD_ACTOR "]}",
	 "c.json: $.issues: a case needs at least one issue"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[]}",
	 "c.json: $.actors: a case needs at least one actor"},
	{"c.json", "{\"issues\":[{\"name\":\"x\"}],\"actors\":[" GOOD_ACTOR "]}",
	 "c.json: $.issues[0].id: is required"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":\"big\","
		   "\"stances\":{}}]}",
	 "c.json: $.actors[0].capability: must be a number, not a string"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":NaN,"
		   "\"stances\":{}}]}",
	 "c.json:1:59: invalid JSON: invalid token near 'NaN'"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":1e999,"
		   "\"stances\":{}}]}",
	 "c.json:1:61: invalid JSON: real number overflow near '1e999'"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":-1,"
		   "\"stances\":{}}]}",
	 "c.json: $.actors[0].capability: -1 is outside [0, 1e300]"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":1,"
		   "\"stances\":{\"x\":{\"position\":120,\"salience\":50}}}]}",
	 "c.json: $.actors[0].stances.x.position: 120 is outside the issue's scale [0, 100]"},
	{"c.json", "{\"issues\":[{\"id\":\"x\",\"scale\":{\"min\":-5,\"max\":5}}],\"actors\":[{\"id\":"
		   "\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":6,\"salience\":50}}}]}",
	 "c.json: $.actors[0].stances.x.position: 6 is outside the issue's scale [-5, 5]"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":1,"
		   "\"stances\":{\"x\":{\"position\":50,\"salience\":101}}}]}",
	 "c.json: $.actors[0].stances.x.salience: 101 is outside the salience range [0, 100]"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":1,"
		   "\"stances\":{\"x\":{\"position\":50}}}]}",
	 "c.json: $.actors[0].stances.x.salience: is required"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "," GOOD_ACTOR "]}",
	 "c.json: $.actors[1].id: duplicate actor id 'A' (also $.actors[0])"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"},{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "]}",
	 "c.json: $.issues[1].id: duplicate issue id 'x' (also $.issues[0])"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"forums\":[{\"id\":"
		   "\"f\",\"members\":[\"A\",\"KP\"]}]}",
	 "c.json: $.forums[0].members[1]: no actor 'KP' in $.actors"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"forums\":[{\"id\":"
		   "\"f\",\"members\":[\"A\"]},{\"id\":\"everyone\",\"members\":[\"A\"]}]}",
	 "c.json: $.forums[1].id: forum id 'everyone' is reserved: it names all actors at full "
	 "weight (no forum) in --forum, --forums and --baseline"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[{\"id\":\"A\",\"capability\":1,"
		   "\"stances\":{\"y\":{\"position\":5,\"salience\":5}}}]}",
	 "c.json: $.actors[0].stances.y: no issue 'y' in $.issues"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"actor\":[]}",
	 "c.json: $: unknown key 'actor' (did you mean 'actors'? allowed: format, id, title, "
	 "period, description, sources, issues, actors, forums, uncertainty)"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"colour\":[]}",
	 "c.json: $: unknown key 'colour' (allowed: format, id, title, period, description, "
	 "sources, issues, actors, forums, uncertainty)"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"id\":\"a b\"}",
	 "c.json: $.id: 'a b' is not a valid id (1-64 characters: letters, digits, '_', '-', '.')"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR ",\"A\"]}",
	 "c.json: $.actors[1]: must be an object, not a string"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"actors\":[" GOOD_ACTOR "]}",
	 "c.json: $.issues[1]: no actor has a stance on issue 'y'"},
	{"c.json", "{\"issues\":[{\"id\":\"x\",\"scale\":{\"min\":5,\"max\":5}}],\"actors\":["
		   GOOD_ACTOR "]}",
	 "c.json: $.issues[0].scale: min must be less than max"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"uncertainty\":{"
		   "\"position\":{\"dist\":\"cauchy\"}}}",
	 "c.json: $.uncertainty.position.dist: unknown distribution 'cauchy' (known: none, "
	 "normal, uniform, beta)"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR "],\"forums\":[{\"id\":"
		   "\"f\",\"members\":[\"A\"],\"outsider_weight\":2}]}",
	 "c.json: $.forums[0].outsider_weight: 2 is outside [0, 1]"},
	{"c.json", "{\"issues\":[{\"id\":\"x\"}],\"issues\":[],\"actors\":[" GOOD_ACTOR "]}",
	 "c.json:1:31: invalid JSON: duplicate object key near '\"issues\"'"},
	{"c.json", "{\"format\":\"parley-case/2\",\"issues\":[{\"id\":\"x\"}],\"actors\":[" GOOD_ACTOR
		   "]}",
	 "c.json: $.format: unsupported format 'parley-case/2' (this parley reads parley-case/1)"},
	{"c.json", "", "c.json: the file is empty"},
	{"c.json", "  \n\t ", "c.json: the file is empty"},
	{"c.json", "{\"issues\":[{\"id\":\"x\",\"name\":\"caf\xe9\"}]}",
	 "c.json:1: invalid UTF-8 byte 0xE9: files must be UTF-8 encoded"},
	/* issues[].outcome: each rule */
	{"c.json", OC_ISSUE("{\"range\":[0,10]}"),
	 "c.json: $.issues[0].outcome.value: is required"},
	{"c.json", OC_ISSUE("7"), "c.json: $.issues[0].outcome: must be an object, not a number"},
	{"c.json", OC_ISSUE("{\"value\":\"high\"}"),
	 "c.json: $.issues[0].outcome.value: must be a number, not a string"},
	{"c.json", OC_ISSUE("{\"value\":120}"),
	 "c.json: $.issues[0].outcome.value: 120 is outside the issue's scale [0, 100]"},
	{"c.json", OC_ISSUE("{\"value\":50,\"range\":[60,70]}"),
	 "c.json: $.issues[0].outcome.range: [60, 70] must contain the outcome's value 50 (lo <= "
	 "value <= hi)"},
	{"c.json", OC_ISSUE("{\"value\":50,\"range\":[40,-1]}"),
	 "c.json: $.issues[0].outcome.range[1]: -1 is outside the issue's scale [0, 100]"},
	{"c.json", OC_ISSUE("{\"value\":50,\"range\":[40]}"),
	 "c.json: $.issues[0].outcome.range: must be [lo, hi], two numbers"},
	{"c.json", OC_ISSUE("{\"value\":50,\"date\":\"2007-02-30\"}"),
	 "c.json: $.issues[0].outcome.date: '2007-02-30' is not a date (YYYY-MM-DD, YYYY-MM or "
	 "YYYY)"},
	{"c.json", OC_ISSUE("{\"value\":50,\"date\":\"13 Feb 2007\"}"),
	 "c.json: $.issues[0].outcome.date: '13 Feb 2007' is not a date (YYYY-MM-DD, YYYY-MM or "
	 "YYYY)"},
	{"c.json", OC_ISSUE("{\"value\":50,\"date\":\"2007-13\"}"),
	 "c.json: $.issues[0].outcome.date: '2007-13' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"},
	{"c.json", OC_ISSUE("{\"value\":50,\"basis\":\"the text\"}"),
	 "c.json: $.issues[0].outcome: unknown key 'basis' (allowed: value, range, date, source)"},
	{"c.json", OC_ISSUE("{\"value\":50,\"source\":3}"),
	 "c.json: $.issues[0].outcome.source: must be a string, not a number"},
};

static const bad csv_cases[] = {
	{"c.csv", "Actor,Capability,Position\nA,1,2\n",
	 "c.csv:1: the header lacks the column 'Salience' (expected "
	 "Actor,Capability,Position,Salience)"},
	{"c.csv", "Actor,Capability,Position,Salience,Colour\n",
	 "c.csv:1: unknown column 'Colour' (the BDM format has Actor, Capability, Position, "
	 "Salience and optionally Name, Note, RedLine, Reservation)"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,one,2,3\n",
	 "c.csv:2: Capability 'one' is not a number"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,nan,3\n",
	 "c.csv:2: Position 'nan' is not a finite number"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,inf,3\n",
	 "c.csv:2: Position 'inf' is not a finite number"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,2,300\n",
	 "c.csv:2: Salience 300 is outside [0, 100]"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,2,30\nB,1,150,30\n",
	 "c.csv:3: Position 150 is outside the scale [0, 100] (declare another with a '# scale: "
	 "MIN MAX' line)"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,2,30\nA,1,5,30\n",
	 "c.csv:3: duplicate actor 'A' (also line 2)"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,2\n",
	 "c.csv:2: a row needs one field per header column, found 3"},
	{"c.csv", "Actor,Capability,Position,Salience\n\"A,1,2,3\n",
	 "c.csv:2: malformed CSV (error parsing data while strict checking enabled); a quoted "
	 "field must end on its own line"},
	{"c.csv", "Actor,Capability,Position,Salience\n", "c.csv:1: no actor rows after the header"},
	{"c.csv", "# only a comment\n", "c.csv:1: no header line (Actor,Capability,Position,Salience)"},
	{"k.csv", "Demo,desc,2,1\nActor,Description,Power,P,S\nA,a,1,50,50\n",
	 "k.csv:3: the first line declares 2 actors but the file has 1 rows"},
	{"k.csv", "Demo,desc,1,1\nActor,Description,Power,P,S\nA,a,1,50,50\nB,b,1,2,3\n",
	 "k.csv:4: more actor rows than the 1 the first line declares"},
	{"k.csv", "Demo,desc,1,2\nActor,Description,Power,P,S\n",
	 "k.csv:2: the header has 5 columns; 2 dimensions need 7 (Actor, Description, Power, "
	 "then a position and a salience per dimension)"},
	{"k.csv", "Demo,desc,1,1\nActor,Description,Power,P,S\nA,a,1,150,50\n",
	 "k.csv:3: position (field 4) 150 is outside [0, 100]"},
	/* issue 17: an unknown directive is refused as JSON refuses an unknown
	 * key; saliences on two scales; every bad row, not only the first; a
	 * file separated by ';' or tabs */
	{"c.csv", "# scael: 0 10\nActor,Capability,Position,Salience\nA,1,2,30\n",
	 "c.csv:1: unknown directive '# scael:' (did you mean '# scale:'? the directives are "
	 "'# scale:', '# status_quo:', '# outcome:' and '# name:'; a comment must not start "
	 "with a word and a colon)"},
	{"c.csv", "Actor,Capability,Position,Salience\n#source: x\nA,1,2,30\n",
	 "c.csv:2: unknown directive '# source:' (the directives are '# scale:', "
	 "'# status_quo:', '# outcome:' and '# name:'; a comment must not start with a word "
	 "and a colon)"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,1,2,0.6\nB,1,3,70\n",
	 "c.csv:2: Salience 0.6 reads as 0-1 but line 3's 70 is on 0-100: write every "
	 "salience on one scale (0-1 or 0-100)"},
	{"c.csv", "Actor,Capability,Position,Salience\nA,x,2,30\nB,1,300,70\nA,1,3,101\nC,1\n",
	 "c.csv:2: Capability 'x' is not a number\n"
	 "c.csv:3: Position 300 is outside the scale [0, 100] (declare another with a "
	 "'# scale: MIN MAX' line)\n"
	 "c.csv:4: Salience 101 is outside [0, 100]\n"
	 "c.csv:5: a row needs one field per header column, found 2\n"
	 "(4 errors)"},
	{"c.csv", "Actor;Capability;Position;Salience\nA;1;2;30\n",
	 "c.csv:1: unknown column 'Actor;Capability;Position;Salience': the header seems "
	 "separated by ';', but parley reads comma-separated values (RFC 4180); save the file "
	 "as CSV with commas (a spreadsheet set to a language that writes decimal commas "
	 "uses ';')"},
	{"k.csv", "Demo,desc,3,1\nActor,Description,Power,P,S\nA,a,x,50,50\nB,b,1,150,50\nC,c,1,5,5\n",
	 "k.csv:3: Power (field 3) 'x' is not a number\n"
	 "k.csv:4: position (field 4) 150 is outside [0, 100]\n"
	 "(2 errors)"},
	/* "# outcome:" lines */
	{"c.csv", "# scale: 0 10\n# outcome: 12\nActor,Capability,Position,Salience\nA,1,2,30\n",
	 "c.csv:2: the outcome 12 is outside the scale [0, 10]"},
	{"c.csv", "Actor,Capability,Position,Salience\n# outcome: 101\nA,1,2,30\n",
	 "c.csv:2: the outcome 101 is outside the scale [0, 100]"},
	{"c.csv", "# outcome: high\nActor,Capability,Position,Salience\nA,1,2,30\n",
	 "c.csv:1: '# outcome:' needs one number, the outcome on the scale"},
	{"c.csv", "# outcome: 4 5\nActor,Capability,Position,Salience\nA,1,2,30\n",
	 "c.csv:1: '# outcome:' needs one number, the outcome on the scale"},
	{"c.csv",
	 "# outcome: 4\n# name: t\n# outcome: 5\nActor,Capability,Position,Salience\nA,1,2,"
	 "30\n",
	 "c.csv:3: a second '# outcome:' line (the first is line 1)"},
};

static void check_all(const bad *cases, size_t n, pl_format fmt)
{
	int failures = 0;
	for (size_t k = 0; k < n; k++) {
		char buf[2048];
		read_error(cases[k].text, strlen(cases[k].text), cases[k].name, fmt, buf,
			   sizeof buf);
		if (strcmp(buf, cases[k].expect) != 0) {
			print_error("case %zu\n  expected: %s\n  got:      %s\n", k, cases[k].expect,
				    buf);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void bad_json(void **state)
{
	check_all(json_cases, sizeof json_cases / sizeof json_cases[0], PL_FORMAT_JSON);
}

static void bad_csv(void **state)
{
	check_all(csv_cases, sizeof csv_cases / sizeof csv_cases[0], PL_FORMAT_AUTO);
}

static void nul_bytes_and_huge_files(void **state)
{
	char buf[2048];
	const char with_nul[] = "{\"issues\":\n[]\0}";
	read_error(with_nul, sizeof with_nul - 1, "n.json", PL_FORMAT_JSON, buf, sizeof buf);
	assert_string_equal(buf, "n.json:2: NUL byte in the file: a case must be a text file");
	/* 100 MB: refused by size before any parsing */
	size_t big = 100u * 1000u * 1000u;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, ' ', big);
	huge[0] = '{';
	read_error(huge, big, "huge.json", PL_FORMAT_JSON, buf, sizeof buf);
	assert_string_equal(buf, "huge.json: the file is 100000000 bytes; a case may be at most "
				 "33554432 bytes (32 MiB)");
	free(huge);
}

/* Every bad row is counted; the first 10 by line are listed (issue 17). */
static void many_bad_rows(void **state)
{
	char text[4096], buf[2048];
	size_t n = (size_t)snprintf(text, sizeof text, "Actor,Capability,Position,Salience\n");
	for (int k = 0; k < 30; k++)
		n += (size_t)snprintf(text + n, sizeof text - n, "A%d,x,5,50\n", k);
	read_error(text, n, "m.csv", PL_FORMAT_CSV, buf, sizeof buf);
	size_t lines = 0;
	for (const char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 10); /* 10 errors and the count */
	assert_non_null(strstr(buf, "m.csv:2: Capability 'x' is not a number\n"));
	assert_non_null(strstr(buf, "\nm.csv:11: Capability 'x' is not a number\n"));
	assert_null(strstr(buf, "m.csv:12:"));
	const char *tail = "\n(30 errors, the first 10 listed)";
	assert_string_equal(buf + strlen(buf) - strlen(tail), tail);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_json),
		cmocka_unit_test(bad_csv),
		cmocka_unit_test(nul_bytes_and_huge_files),
		cmocka_unit_test(many_bad_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
