/* test_ledger_signed.c - entries signed offline (pl_entry_sign) and appended
 * later as a document (pl_ledger_append_signed_doc): the round trip to an
 * offline-verified bundle, and every refusal of append (forged, changed,
 * replayed, unregistered, non-member, another log, not a signed entry, every
 * flipped byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ledger_fixture.h"

#define ORIGIN "six-party.example/ledger"

static char *sign(const pl_key *who, pl_entry_kind kind, const char *channel, const char *body)
{
	pl_entry_in in = {kind, channel, "2007-02-13T00:00:00Z", body, who, NULL};
	char *doc = NULL;
	pl_error err = {0};
	assert_int_equal(pl_entry_sign(&doc, ORIGIN, &in, &err), PL_OK);
	return doc;
}

/* Appending doc is refused with a message holding want (where or message). */
static void refused(fixture *f, const char *doc, const char *want)
{
	pl_error err = {0};
	uint64_t before = pl_ledger_size(f->lg);
	assert_int_equal(pl_ledger_append_signed_doc(f->lg, doc, strlen(doc), NULL, &err),
			 PL_EINPUT);
	char buf[2048];
	pl_error_format(&err, buf, sizeof buf);
	if (!strstr(buf, want))
		fail_msg("expected '%s' in '%s'", want, buf);
	assert_int_equal(pl_ledger_size(f->lg), before);
}

static void test_round_trip(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	char *doc =
		sign(&f->party[P_DPRK], PL_ENTRY_STATEMENT, "six-party", "{\"text\":\"agreed\"}");
	/* one canonical line: members sorted, no spaces */
	json_t *d = json_loads(doc, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(d);
	char *again = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(again, doc);
	free(again);
	assert_string_equal(json_string_value(json_object_get(d, "format")),
			    "parley-signed-entry/v1");
	assert_string_equal(json_string_value(json_object_get(d, "origin")), ORIGIN);
	assert_non_null(json_string_value(json_object_get(json_object_get(d, "body"), "salt")));
	uint64_t idx = 0, n0 = pl_ledger_size(f->lg);
	assert_int_equal(pl_ledger_append_signed_doc(f->lg, doc, strlen(doc), &idx, &err), PL_OK);
	assert_int_equal(idx, n0);
	assert_int_equal(pl_ledger_size(f->lg), n0 + 1);
	/* the replay of the same document is refused */
	refused(f, doc, "a replay");
	/* another spelling of the same document is the same entry */
	char *pretty = json_dumps(d, JSON_INDENT(3));
	refused(f, pretty, "a replay");
	free(pretty);
	/* a checkpoint, a bundle, and the bundle verifies offline */
	char *note, *bundle;
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	assert_int_equal(pl_ledger_bundle(f->lg, idx, NULL, &bundle, &err), PL_OK);
	pl_key pub = f->log;
	memset(pub.sec, 0, sizeof pub.sec);
	pub.has_secret = 0;
	assert_int_equal(pl_bundle_verify(bundle, strlen(bundle), &pub, NULL, 0, &err), PL_OK);
	json_t *b = json_loads(bundle, 0, NULL);
	json_t *leaf = json_object_get(json_object_get(b, "entry"), "leaf");
	char *lt = json_is_string(leaf) ? strdup(json_string_value(leaf))
					: json_dumps(leaf, JSON_COMPACT | JSON_SORT_KEYS);
	char *want = json_dumps(json_object_get(d, "leaf"), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(lt, want);
	free(lt);
	free(want);
	json_decref(b);
	uint64_t checked;
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_OK);
	assert_int_equal(checked, n0 + 1);
	pl_free(note);
	pl_free(bundle);
	json_decref(d);
	pl_free(doc);
}

static void test_refusals(void **state)
{
	fixture *f = *state;
	char *doc = sign(&f->party[P_USA], PL_ENTRY_STATEMENT, "us-dprk", "{\"text\":\"talk\"}");
	json_t *d = json_loads(doc, 0, NULL);
	/* forged: one character of the signature changed */
	char *forged = strdup(doc);
	char *sig = strstr(forged, "\"sig\":\"") + 7;
	sig[3] = sig[3] == 'A' ? 'B' : 'A';
	refused(f, forged, "does not verify");
	free(forged);
	/* the body changed under the same signature */
	json_t *c = json_deep_copy(d);
	json_object_set_new(json_object_get(c, "body"), "text", json_string("no talk"));
	char *changed = json_dumps(c, JSON_COMPACT);
	refused(f, changed, "does not match the hash");
	free(changed);
	/* the time changed: the signature no longer verifies */
	json_object_set_new(json_object_get(c, "leaf"), "time",
			    json_string("2007-02-14T00:00:00Z"));
	json_object_set_new(json_object_get(c, "body"), "text", json_string("talk"));
	changed = json_dumps(c, JSON_COMPACT);
	refused(f, changed, "does not verify");
	free(changed);
	json_decref(c);
	/* a key that is not registered, and one under a registered name */
	pl_key stranger, impostor;
	assert_int_equal(pl_key_generate("stranger", &stranger, NULL), PL_OK);
	assert_int_equal(pl_key_generate("usa", &impostor, NULL), PL_OK);
	char *s = sign(&stranger, PL_ENTRY_STATEMENT, "public", "{\"text\":\"hi\"}");
	refused(f, s, "not a registered party");
	pl_free(s);
	s = sign(&impostor, PL_ENTRY_STATEMENT, "public", "{\"text\":\"hi\"}");
	refused(f, s, "does not verify");
	pl_free(s);
	/* a non-member of the channel */
	s = sign(&f->party[P_CHINA], PL_ENTRY_STATEMENT, "us-dprk", "{\"text\":\"me too\"}");
	refused(f, s, "not a member");
	pl_free(s);
	/* a party entry signed by a party instead of the log */
	s = sign(&f->party[P_USA], PL_ENTRY_PARTY, "public", "{\"id\":\"x\"}");
	refused(f, s, "entry");
	pl_free(s);
	/* signed for another log */
	pl_entry_in in = {PL_ENTRY_STATEMENT, "public",		NULL,
			  "{\"text\":\"x\"}", &f->party[P_USA], NULL};
	pl_error err = {0};
	assert_int_equal(pl_entry_sign(&s, "other.example/log", &in, &err), PL_OK);
	refused(f, s, "$.origin");
	pl_free(s);
	assert_int_equal(pl_entry_sign(&s, "bad origin", &in, &err), PL_EINPUT);
	assert_null(s);
	/* documents that are not signed entries */
	refused(f, "", "not JSON");
	refused(f, "[1]", "$.format");
	refused(f, "{\"format\":\"parley-ledger-bundle/v1\"}", "$.format");
	c = json_deep_copy(d);
	json_object_set_new(c, "extra", json_true());
	changed = json_dumps(c, JSON_COMPACT);
	refused(f, changed, "exactly the members");
	free(changed);
	json_object_del(c, "extra");
	json_object_set_new(c, "leaf", json_string("not an object"));
	changed = json_dumps(c, JSON_COMPACT);
	refused(f, changed, "$.leaf");
	free(changed);
	json_object_set(c, "leaf", json_object_get(d, "leaf"));
	json_object_set_new(json_object_get(c, "body"), "n", json_real(0.5));
	changed = json_dumps(c, JSON_COMPACT);
	refused(f, changed, "$.body");
	free(changed);
	json_decref(c);
	/* every flipped byte is refused; nothing was appended meanwhile */
	uint64_t n0 = pl_ledger_size(f->lg);
	size_t len = strlen(doc);
	for (size_t i = 0; i < len; i++) {
		char *x = strdup(doc);
		x[i] ^= 0x01;
		pl_error e = {0};
		if (pl_ledger_append_signed_doc(f->lg, x, len, NULL, &e) == PL_OK)
			fail_msg("byte %zu flipped ('%c' -> '%c') was appended", i, doc[i], x[i]);
		free(x);
	}
	assert_int_equal(pl_ledger_size(f->lg), n0);
	/* the genuine one still goes in */
	assert_int_equal(pl_ledger_append_signed_doc(f->lg, doc, len, NULL, &err), PL_OK);
	uint64_t checked;
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_OK);
	json_decref(d);
	pl_free(doc);
	pl_key_wipe(&stranger);
	pl_key_wipe(&impostor);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, fx_state_setup, fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, fx_state_setup, fx_state_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
