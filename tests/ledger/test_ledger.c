/* test_ledger.c - keys, signed notes, entries and their rules, channels and
 * privacy, checkpoints, witnesses and split views, bundles (every flipped
 * byte refused), audit, commitment lifecycle and trust. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "ledger/ledger_internal.h"
#include "ledger_fixture.h"

/* The example of golang.org/x/mod/sumdb/note's documentation: the same key
 * must give the same signature line byte for byte. */
static void test_note_known_answer(void **state)
{
	(void)state;
	static const char skey[] =
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
	static const char vkey[] =
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
	static const char text[] = "If you think cryptography is the answer to your problem,\n"
				   "then you don't know what your problem is.\n";
	static const char sig[] = "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pA"
				  "cElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
	char path[] = "/tmp/parley-key-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, skey, sizeof skey - 1), (ssize_t)(sizeof skey - 1));
	close(fd);
	pl_key k, v;
	pl_error err = {0};
	assert_int_equal(pl_key_read_file(path, &k, &err), PL_OK);
	unlink(path);
	assert_int_equal(pl_key_parse_vkey(vkey, &v, &err), PL_OK);
	assert_memory_equal(k.pub, v.pub, 32);
	char back[256];
	assert_int_equal(pl_key_format_vkey(&k, back, sizeof back), PL_OK);
	assert_string_equal(back, vkey);
	uint8_t s[64];
	crypto_sign_detached(s, NULL, (const uint8_t *)text, strlen(text), k.sec);
	uint8_t raw[68];
	uint32_t id = pl_key_id(&k, 0x01);
	assert_int_equal(id, 0xc74f20a3u);
	raw[0] = 0xc7, raw[1] = 0x4f, raw[2] = 0x20, raw[3] = 0xa3;
	memcpy(raw + 4, s, 64);
	char b64[128], line[256];
	sodium_bin2base64(b64, sizeof b64, raw, 68, sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "\xe2\x80\x94 PeterNeumann %s\n", b64);
	assert_string_equal(line, sig);
	/* the signed note parses; its text is the text */
	char note[1024];
	snprintf(note, sizeof note, "%s\n%s", text, sig);
	pl__note n;
	assert_int_equal(pl__note_parse(note, strlen(note), &n, &err), PL_OK);
	assert_int_equal(n.text_len, strlen(text));
	assert_int_equal(n.nsig, 1);
	/* a verifier key whose base64 holds '+' (transparency-dev/formats tests) */
	assert_int_equal(
		pl_key_parse_vkey("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6", &v,
				  &err),
		PL_OK);
	/* mangled keys are refused */
	assert_int_not_equal(
		pl_key_parse_vkey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmq"
				  "q/LDE4izWy10TW",
				  &v, NULL),
		PL_OK);
	assert_int_not_equal(
		pl_key_parse_vkey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmq"
				  "q/LDE4izWy10T",
				  &v, NULL),
		PL_OK);
}

static void test_key_files(void **state)
{
	fixture *f = *state;
	char sk[400], pk[400];
	snprintf(sk, sizeof sk, "%s/usa.key", f->dir);
	snprintf(pk, sizeof pk, "%s/usa.pub", f->dir);
	pl_error err = {0};
	assert_int_equal(pl_key_write_secret(&f->party[P_USA], sk, &err), PL_OK);
	assert_int_equal(pl_key_write_public(&f->party[P_USA], pk, &err), PL_OK);
	struct stat st;
	assert_int_equal(stat(sk, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	pl_key a, b;
	assert_int_equal(pl_key_read_file(sk, &a, &err), PL_OK);
	assert_int_equal(pl_key_read_file(pk, &b, &err), PL_OK);
	assert_true(a.has_secret);
	assert_false(b.has_secret);
	assert_memory_equal(a.pub, f->party[P_USA].pub, 32);
	assert_memory_equal(a.sec, f->party[P_USA].sec, 64);
	assert_memory_equal(b.pub, f->party[P_USA].pub, 32);
	assert_int_equal(pl_key_generate("bad name", &a, NULL), PL_EINPUT);
	assert_int_equal(pl_key_generate("a+b", &a, NULL), PL_EINPUT);
}

static void test_checkpoint_notes(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	char *note = NULL;
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	pl_checkpoint cp;
	assert_int_equal(
		pl_checkpoint_open(note, strlen(note), &f->log, NULL, 0, 0, &cp, NULL, &err),
		PL_OK);
	assert_int_equal(cp.size, pl_ledger_size(f->lg));
	assert_string_equal(cp.origin, "six-party.example/ledger");
	/* a cosignature verifies; a required witness that did not cosign fails */
	assert_int_equal(pl_checkpoint_cosign(&note, &f->party[P_RUSSIA], 1700000000, &err), PL_OK);
	size_t good = 0;
	assert_int_equal(pl_checkpoint_open(note, strlen(note), &f->log, &f->party[P_RUSSIA], 1, 1,
					    &cp, &good, &err),
			 PL_OK);
	assert_int_equal(good, 1);
	assert_int_not_equal(pl_checkpoint_open(note, strlen(note), &f->log, &f->party[P_CHINA], 1,
						1, &cp, &good, NULL),
			     PL_OK);
	/* a note signature is not a cosignature: the key IDs differ */
	assert_int_not_equal(pl_key_id(&f->party[P_RUSSIA], 0x01),
			     pl_key_id(&f->party[P_RUSSIA], 0x04));
	/* the wrong log key, and every single flipped byte, are refused */
	assert_int_not_equal(pl_checkpoint_open(note, strlen(note), &f->party[P_USA], NULL, 0, 0,
						&cp, NULL, NULL),
			     PL_OK);
	size_t len = strlen(note);
	for (size_t i = 0; i < len; i++) {
		note[i] ^= 0x01;
		assert_int_not_equal(pl_checkpoint_open(note, len, &f->log, &f->party[P_RUSSIA], 1,
							1, &cp, NULL, NULL),
				     PL_OK);
		note[i] ^= 0x01;
	}
	free(note);
}

static void test_rules(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	uint64_t n0 = pl_ledger_size(f->lg);
	/* a member may write to its channel */
	assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &f->party[P_USA], "us-dprk",
				   "2007-02-01T00:00:00Z", "{\"text\":\"action for action\"}",
				   &err),
			 PL_OK);
	/* a non-member may not */
	pl_error_clear(&err);
	assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &f->party[P_CHINA], "us-dprk",
				   "2007-02-01T00:00:00Z", "{\"text\":\"hello\"}", &err),
			 PL_EINPUT);
	assert_non_null(strstr(err.message, "not a member"));
	/* an unregistered key, a party pretending to be the log, a stranger's key under
	 * a registered name: all refused */
	pl_key stranger;
	pl_key_generate("usa", &stranger, NULL);
	pl_error_clear(&err);
	assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &stranger, "public",
				   "2007-02-01T00:00:00Z", "{\"text\":\"x\"}", &err),
			 PL_EINPUT);
	pl_error_clear(&err);
	assert_int_equal(fx_append(f, PL_ENTRY_PARTY, &f->party[P_USA], "public",
				   "2007-02-01T00:00:00Z", "{}", &err),
			 PL_EINPUT);
	/* bad bodies */
	static const char *const bad[] = {"{\"text\":1}", "{\"text\":\"a\",\"extra\":1}", "[1]",
					  "{\"text\":\"a\",\"x\":1.5}", "not json"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pl_error_clear(&err);
		assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &f->party[P_USA], "public",
					   "2007-02-01T00:00:00Z", bad[i], &err),
				 PL_EINPUT);
	}
	pl_error_clear(&err);
	assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &f->party[P_USA], "public",
				   "2007-02-30T00:00:00Z", "{\"text\":\"a\"}", &err),
			 PL_EINPUT);
	assert_int_equal(pl_ledger_size(f->lg), n0 + 1);
	/* a batch is atomic: the second entry is bad, so neither is appended */
	pl_entry_in b[2] = {{PL_ENTRY_STATEMENT, "public", "2007-02-02T00:00:00Z",
			     "{\"text\":\"one\"}", &f->party[P_USA], NULL},
			    {PL_ENTRY_STATEMENT, "us-dprk", "2007-02-02T00:00:00Z",
			     "{\"text\":\"two\"}", &f->party[P_CHINA], NULL}};
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_append(f->lg, b, 2, NULL, &err), PL_EINPUT);
	assert_int_equal(pl_ledger_size(f->lg), n0 + 1);
	b[1].author = &f->party[P_DPRK];
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_append(f->lg, b, 2, NULL, &err), PL_OK);
	assert_int_equal(pl_ledger_size(f->lg), n0 + 3);
	uint64_t checked;
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_OK);
	assert_int_equal(checked, n0 + 3);
}

static void test_forgery_and_replay(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	pl_entry_in in = {PL_ENTRY_STATEMENT,	     "six-party",	"2007-02-13T00:00:00Z",
			  "{\"text\":\"we agree\"}", &f->party[P_DPRK], NULL};
	char *leaf, *body;
	assert_int_equal(pl_ledger_sign_entry(f->lg, &in, &leaf, &body, &err), PL_OK);
	/* forged: one character of the signature changed */
	char *forged = strdup(leaf);
	char *sig = strstr(forged, "\"sig\":\"") + 7;
	sig[3] = sig[3] == 'A' ? 'B' : 'A';
	assert_int_equal(pl_ledger_append_signed(f->lg, forged, body, NULL, &err), PL_EINPUT);
	free(forged);
	/* changed body under the same signature */
	pl_error_clear(&err);
	assert_int_equal(
		pl_ledger_append_signed(f->lg, leaf, "{\"text\":\"we refuse\"}", NULL, &err),
		PL_EINPUT);
	/* the genuine entry goes in once; its replay is refused */
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_append_signed(f->lg, leaf, body, NULL, &err), PL_OK);
	assert_int_equal(pl_ledger_append_signed(f->lg, leaf, body, NULL, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "replay"));
	/* a ledger with another origin refuses it: the origin is signed */
	char db2[400];
	snprintf(db2, sizeof db2, "%s/other.db", f->dir);
	pl_ledger *other;
	assert_int_equal(pl_ledger_create(db2, "other.example/ledger", &f->log, &err), PL_OK);
	assert_int_equal(pl_ledger_open(db2, &other, &err), PL_OK);
	char vk[512];
	pl_key_format_vkey(&f->party[P_DPRK], vk, sizeof vk);
	char pb[1024];
	snprintf(pb, sizeof pb,
		 "{\"id\":\"dprk\",\"key\":\"%s\",\"name\":\"d\",\"role\":\"delegation\"}", vk);
	pl_entry_in reg = {PL_ENTRY_PARTY, "public", NULL, pb, &f->log, NULL};
	assert_int_equal(pl_ledger_append(other, &reg, 1, NULL, &err), PL_OK);
	char *leaf2, *body2;
	in.channel = "public";
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_sign_entry(f->lg, &in, &leaf2, &body2, &err), PL_OK);
	assert_int_equal(pl_ledger_append_signed(other, leaf2, body2, NULL, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "signature"));
	pl_ledger_close(other);
	free(leaf);
	free(body);
	free(leaf2);
	free(body2);
}

/* Two handles on one ledger, as two processes have: what one appends, the
 * other's next append sees (its index, and a channel registered meanwhile),
 * instead of reusing the index it read at opening. */
static void test_two_handles(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	pl_ledger *b;
	assert_int_equal(pl_ledger_open(f->db, &b, &err), PL_OK);
	uint64_t n0 = pl_ledger_size(f->lg), at;
	pl_entry_in ch = {PL_ENTRY_CHANNEL,
			  "public",
			  "2007-01-02T00:00:00Z",
			  "{\"id\":\"us-china\",\"name\":\"US-China\",\"members\":"
			  "[\"usa\",\"china\"]}",
			  &f->log,
			  NULL};
	assert_int_equal(pl_ledger_append(b, &ch, 1, &at, &err), PL_OK);
	assert_int_equal(at, n0);
	pl_entry_in st = {PL_ENTRY_STATEMENT,	  "us-china",	    "2007-01-03T00:00:00Z",
			  "{\"text\":\"hello\"}", &f->party[P_USA], NULL};
	assert_int_equal(pl_ledger_append(f->lg, &st, 1, &at, &err), PL_OK);
	assert_int_equal(at, n0 + 1);
	char *leaf, *body;
	st.body = "{\"text\":\"again\"}";
	assert_int_equal(pl_ledger_sign_entry(f->lg, &st, &leaf, &body, &err), PL_OK);
	assert_int_equal(pl_ledger_append_signed(b, leaf, body, &at, &err), PL_OK);
	assert_int_equal(at, n0 + 2);
	free(leaf);
	free(body);
	assert_int_equal(pl_ledger_append(f->lg, &st, 1, &at, &err), PL_OK);
	assert_int_equal(at, n0 + 3);
	pl_ledger_close(b);
	uint64_t checked;
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_OK);
	assert_int_equal(checked, n0 + 4);
}

static void test_privacy(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	uint64_t idx;
	pl_entry_in in = {PL_ENTRY_STATEMENT,	  "us-dprk",
			  "2007-03-01T00:00:00Z", "{\"text\":\"private terms\"}",
			  &f->party[P_USA],	  NULL};
	assert_int_equal(pl_ledger_append(f->lg, &in, 1, &idx, &err), PL_OK);
	char *js;
	assert_int_equal(pl_ledger_show(f->lg, idx, "dprk", &js, &err), PL_OK);
	assert_non_null(strstr(js, "private terms"));
	free(js);
	assert_int_equal(pl_ledger_show(f->lg, idx, "china", &js, &err), PL_OK);
	assert_null(strstr(js, "private terms"));
	assert_non_null(strstr(js, "\"body\": null"));
	free(js);
	/* the non-member's bundle verifies without the body */
	char *note;
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	free(note);
	assert_int_equal(pl_ledger_bundle(f->lg, idx, "china", &js, &err), PL_OK);
	assert_null(strstr(js, "private terms"));
	assert_int_equal(pl_bundle_verify(js, strlen(js), &f->log, NULL, 0, &err), PL_OK);
	free(js);
}

static void test_bundle_bitflips(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	uint64_t idx;
	pl_entry_in in = {PL_ENTRY_COMMITMENT,
			  "six-party",
			  "2007-02-13T00:00:00Z",
			  "{\"action\":\"shut down and seal the Yongbyon reactor\","
			  "\"verification\":\"IAEA monitoring\",\"verifiers\":[\"iaea\"]}",
			  &f->party[P_DPRK],
			  NULL};
	assert_int_equal(pl_ledger_append(f->lg, &in, 1, &idx, &err), PL_OK);
	char *note, *js;
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	free(note);
	char state_path[400];
	snprintf(state_path, sizeof state_path, "%s/russia.state", f->dir);
	assert_int_equal(
		pl_ledger_witness(f->lg, &f->party[P_RUSSIA], state_path, 1700000000, &err), PL_OK);
	assert_int_equal(pl_ledger_bundle(f->lg, idx, NULL, &js, &err), PL_OK);
	size_t len = strlen(js);
	if (getenv("DUMP_BUNDLE"))
		fprintf(stderr, "%s\n", js);
	assert_int_equal(pl_bundle_verify(js, len, &f->log, &f->party[P_RUSSIA], 1, &err), PL_OK);
	assert_int_not_equal(pl_bundle_verify(js, len, &f->party[P_USA], NULL, 0, NULL), PL_OK);
	assert_int_not_equal(pl_bundle_verify(js, len, &f->log, &f->party[P_CHINA], 1, NULL),
			     PL_OK);
	for (size_t i = 0; i < len; i++)
		for (int bit = 0; bit < 8; bit += 7) {
			js[i] ^= (char)(1 << bit);
			pl_error e2 = {0};
			int rc = pl_bundle_verify(js, len, &f->log, &f->party[P_RUSSIA], 1, &e2);
			if (rc == PL_OK && getenv("DUMP_BUNDLE"))
				fprintf(stderr, "FLIPPED:\n%s\n", js);
			if (rc == PL_OK)
				fail_msg("flipping bit %d of byte %zu (0x%02x) went unnoticed", bit,
					 i, (unsigned)(unsigned char)js[i]);
			js[i] ^= (char)(1 << bit);
		}
	free(js);
}

static void test_witness_split_view(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	char st[400], *note;
	snprintf(st, sizeof st, "%s/china.state", f->dir);
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	free(note);
	assert_int_equal(pl_ledger_witness(f->lg, &f->party[P_CHINA], st, 1700000000, &err), PL_OK);
	assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &f->party[P_CHINA], "public",
				   "2007-04-01T00:00:00Z", "{\"text\":\"more\"}", &err),
			 PL_OK);
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &note, &err), PL_OK);
	free(note);
	assert_int_equal(pl_ledger_witness(f->lg, &f->party[P_CHINA], st, 1700000100, &err), PL_OK);
	/* a fork: the same log key signs another history; the witness refuses it */
	char db2[400];
	snprintf(db2, sizeof db2, "%s/fork.db", f->dir);
	char cmd[1000];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\" 2>/dev/null || cp '%s' '%s'",
		 f->db, db2, f->db, db2);
	assert_int_equal(system(cmd), 0);
	pl_ledger *fork;
	assert_int_equal(pl_ledger_open(db2, &fork, &err), PL_OK);
	/* remove the last entry on the fork, then append a different one */
	pl__exec(fork,
		 "DELETE FROM entries WHERE idx = (SELECT max(idx) FROM entries);"
		 "DELETE FROM checkpoints;",
		 &err);
	pl_ledger_close(fork);
	assert_int_equal(pl_ledger_open(db2, &fork, &err), PL_OK);
	pl_entry_in in = {PL_ENTRY_STATEMENT,	  "public",
			  "2007-04-01T00:00:00Z", "{\"text\":\"other history\"}",
			  &f->party[P_CHINA],	  NULL};
	assert_int_equal(pl_ledger_append(fork, &in, 1, NULL, &err), PL_OK);
	assert_int_equal(pl_ledger_append(fork, &in, 1, NULL, &err), PL_OK);
	assert_int_equal(pl_ledger_checkpoint(fork, &f->log, &note, &err), PL_OK);
	free(note);
	pl_error_clear(&err);
	assert_int_equal(pl_ledger_witness(fork, &f->party[P_CHINA], st, 1700000200, &err),
			 PL_EINPUT);
	if (!strstr(err.message, "split view"))
		fail_msg("%s: %s", err.where, err.message);
	pl_ledger_close(fork);
	/* the offline check gives the same verdict */
	char *old_note, *cur, *proof;
	assert_int_equal(pl_ledger_latest_checkpoint(f->lg, &old_note, &err), PL_OK);
	assert_int_equal(fx_append(f, PL_ENTRY_STATEMENT, &f->party[P_USA], "public",
				   "2007-04-02T00:00:00Z", "{\"text\":\"later\"}", &err),
			 PL_OK);
	assert_int_equal(pl_ledger_checkpoint(f->lg, &f->log, &cur, &err), PL_OK);
	pl_checkpoint a, b;
	pl_checkpoint_open(old_note, strlen(old_note), &f->log, NULL, 0, 0, &a, NULL, NULL);
	pl_checkpoint_open(cur, strlen(cur), &f->log, NULL, 0, 0, &b, NULL, NULL);
	assert_int_equal(pl_ledger_consistency_proof(f->lg, a.size, b.size, &proof, &err), PL_OK);
	assert_int_equal(pl_witness_check(old_note, cur, proof, &f->log, &err), PL_OK);
	assert_int_not_equal(pl_witness_check(cur, old_note, proof, &f->log, NULL), PL_OK);
	free(old_note);
	free(cur);
	free(proof);
	uint64_t checked;
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_OK);
}

static const char *commit_id(fixture *f, uint64_t idx, char out[65])
{
	char *js;
	pl_ledger_show(f->lg, idx, NULL, &js, NULL);
	json_t *o = json_loads(js, 0, NULL);
	snprintf(out, 65, "%s", json_string_value(json_object_get(o, "leaf_hash")));
	json_decref(o);
	free(js);
	return out;
}

static void test_lifecycle_and_trust(void **state)
{
	fixture *f = *state;
	pl_error err = {0};
	uint64_t freeze, disable, aid, declare;
	char id[65];
	pl_entry_in c[4] = {
		{PL_ENTRY_COMMITMENT, "six-party", "2007-02-13T00:00:00Z",
		 "{\"action\":\"freeze\",\"verification\":\"IAEA\",\"verifiers\":[\"iaea\"]}",
		 &f->party[P_DPRK], NULL},
		{PL_ENTRY_COMMITMENT, "six-party", "2007-10-03T00:00:00Z",
		 "{\"action\":\"disable\",\"verification\":\"IAEA\"}", &f->party[P_DPRK], NULL},
		{PL_ENTRY_COMMITMENT, "six-party", "2007-02-13T00:00:00Z",
		 "{\"action\":\"heavy fuel oil\",\"verification\":\"delivery\"}", &f->party[P_USA],
		 NULL},
		{PL_ENTRY_COMMITMENT, "six-party", "2007-02-13T00:00:00Z",
		 "{\"action\":\"declare\",\"verification\":\"review\",\"deadline\":"
		 "\"2007-12-31T00:00:00Z\"}",
		 &f->party[P_DPRK], NULL}};
	assert_int_equal(pl_ledger_append(f->lg, c, 4, &freeze, &err), PL_OK);
	disable = freeze + 1, aid = freeze + 2, declare = freeze + 3;
	(void)declare;
	/* only the named verifier may verify the freeze; nobody verifies their own */
	pl_error_clear(&err);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_USA], "six-party",
			   "2007-07-18T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"verified\",\"evidence\":\"%064d\"}",
			   commit_id(f, freeze, id), 0),
		PL_EINPUT);
	pl_error_clear(&err);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_USA], "six-party",
			   "2007-11-01T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"verified\",\"evidence\":\"%064d\"}",
			   commit_id(f, aid, id), 0),
		PL_EINPUT);
	pl_error_clear(&err);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_IAEA], "six-party",
			   "2007-07-18T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"verified\",\"evidence\":\"%064d\"}",
			   commit_id(f, freeze, id), 0),
		PL_OK);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_IAEA], "six-party",
			   "2007-11-05T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"partial\",\"evidence\":\"%064d\"}",
			   commit_id(f, disable, id), 1),
		PL_OK);
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_CHINA], "six-party",
			   "2007-11-01T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"verified\",\"evidence\":\"%064d\"}",
			   commit_id(f, aid, id), 2),
		PL_OK);
	pl_commitment *cs;
	size_t n;
	assert_int_equal(pl_ledger_commitments(f->lg, NULL, "2008-01-01T00:00:00Z", &cs, &n, &err),
			 PL_OK);
	assert_int_equal(n, 4);
	assert_int_equal(cs[0].state, PL_COMMIT_VERIFIED);
	assert_int_equal(cs[1].state, PL_COMMIT_IN_PROGRESS);
	assert_int_equal(cs[2].state, PL_COMMIT_VERIFIED);
	assert_int_equal(cs[3].state, PL_COMMIT_EXPIRED);
	free(cs);
	/* before the deadline the declaration is still pledged */
	assert_int_equal(pl_ledger_commitments(f->lg, NULL, "2007-12-01T00:00:00Z", &cs, &n, &err),
			 PL_OK);
	assert_int_equal(cs[3].state, PL_COMMIT_PLEDGED);
	free(cs);
	/* a later violation of the verified freeze */
	assert_int_equal(
		fx_appendf(f, PL_ENTRY_VERIFICATION, &f->party[P_IAEA], "six-party",
			   "2009-04-14T00:00:00Z", &err,
			   "{\"commitment\":\"%s\",\"result\":\"violated\",\"evidence\":\"%064d\"}",
			   commit_id(f, freeze, id), 3),
		PL_OK);
	pl_trust *t;
	pl_trust_params p;
	pl_trust_params_default(&p);
	p.half_life_days = 1e12; /* no forgetting: plain beta counts */
	assert_int_equal(pl_ledger_trust(f->lg, NULL, "2009-05-01T00:00:00Z", &p, &t, &n, &err),
			 PL_OK);
	assert_int_equal(n, NPARTY);
	/* dprk: violated + expired = 2 broken, disable open: (0+1)/(0+2+2) */
	assert_string_equal(t[P_DPRK].party, "dprk");
	assert_int_equal(t[P_DPRK].broken, 2);
	assert_int_equal(t[P_DPRK].open, 1);
	assert_float_equal(t[P_DPRK].score, 0.25, 1e-9);
	/* usa: one kept: (1+1)/(1+0+2) */
	assert_float_equal(t[P_USA].score, 2.0 / 3.0, 1e-9);
	/* no record: the prior mean */
	assert_float_equal(t[P_CHINA].score, 0.5, 1e-12);
	free(t);
	/* with forgetting, the usa kept in 2007-11 weighs 2^-(547/365) at 2009-05-01 */
	pl_trust_params_default(&p);
	assert_int_equal(pl_ledger_trust(f->lg, NULL, "2009-05-01T00:00:00Z", &p, &t, &n, &err),
			 PL_OK);
	double w = pow(2.0, -(pl__time_days("2009-05-01T00:00:00Z") -
			      pl__time_days("2007-11-01T00:00:00Z")) /
				    365.0);
	assert_float_equal(t[P_USA].score, (w + 1) / (w + 2), 1e-9);
	free(t);
	/* the forecast hook: factors by actor id, neutral without a record */
	assert_int_equal(pl_ledger_trust(f->lg, NULL, "2009-05-01T00:00:00Z", &p, &t, &n, &err),
			 PL_OK);
	const char *ids[3] = {"dprk", "nobody", "usa"};
	double fac[3];
	assert_int_equal(pl_trust_capability_factors(t, n, ids, 3, 0.5, fac, &err), PL_OK);
	assert_float_equal(fac[0], 1 + 0.5 * (2 * t[P_DPRK].score - 1), 1e-12);
	assert_float_equal(fac[1], 1.0, 0);
	assert_true(fac[0] < 1 && fac[2] > 1);
	assert_int_equal(pl_trust_capability_factors(t, n, ids, 3, 1.5, fac, NULL), PL_EINPUT);
	free(t);
	/* a withdrawal by the committer */
	assert_int_equal(fx_appendf(f, PL_ENTRY_WITHDRAWAL, &f->party[P_USA], "six-party",
				    "2009-05-02T00:00:00Z", &err,
				    "{\"commitment\":\"%s\",\"reason\":\"x\"}",
				    commit_id(f, disable, id)),
			 PL_EINPUT);
	pl_error_clear(&err);
	assert_int_equal(fx_appendf(f, PL_ENTRY_WITHDRAWAL, &f->party[P_DPRK], "six-party",
				    "2009-05-02T00:00:00Z", &err,
				    "{\"commitment\":\"%s\",\"reason\":\"x\"}",
				    commit_id(f, disable, id)),
			 PL_OK);
	assert_int_equal(pl_ledger_commitments(f->lg, NULL, NULL, &cs, &n, &err), PL_OK);
	assert_int_equal(cs[1].state, PL_COMMIT_WITHDRAWN);
	free(cs);
	/* a commitment in the bilateral channel is hidden from china, and so is
	 * its weight in trust */
	assert_int_equal(fx_append(f, PL_ENTRY_COMMITMENT, &f->party[P_USA], "us-dprk",
				   "2009-05-03T00:00:00Z",
				   "{\"action\":\"security assurance\",\"verification\":\"text\"}",
				   &err),
			 PL_OK);
	assert_int_equal(pl_ledger_commitments(f->lg, "china", NULL, &cs, &n, &err), PL_OK);
	assert_int_equal(n, 4);
	free(cs);
	assert_int_equal(pl_ledger_commitments(f->lg, "dprk", NULL, &cs, &n, &err), PL_OK);
	assert_int_equal(n, 5);
	free(cs);
	uint64_t checked;
	assert_int_equal(pl_ledger_audit(f->lg, &checked, &err), PL_OK);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note_known_answer),
		cmocka_unit_test_setup_teardown(test_key_files, fx_state_setup, fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_notes, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_rules, fx_state_setup, fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_forgery_and_replay, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_two_handles, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_privacy, fx_state_setup, fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_bitflips, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_witness_split_view, fx_state_setup,
						fx_state_teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_and_trust, fx_state_setup,
						fx_state_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
