/* witness.c - the independent witness: it holds no copy of the database,
 * only its own key, the log's public key and the last checkpoint it
 * cosigned.  The log hands it a new checkpoint and a consistency proof; the
 * witness checks them, cosigns, and the log attaches the cosignature. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledger/ledger_internal.h"
#include "parley/io.h"

int pl_witness_cosign_offline(const char *state_path, const pl_key *witness, const pl_key *log_key,
			      const char *new_note, const char *proof_json, uint64_t now,
			      char **cosigned, pl_error *err)
{
	*cosigned = NULL;
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	char *old = NULL;
	int rc = pl__read_witness_state(state_path, &old, err);
	if (rc != PL_OK)
		return rc;
	pl_checkpoint cp;
	rc = pl_checkpoint_open(new_note, strlen(new_note), log_key, NULL, 0, 0, &cp, NULL, err);
	if (rc == PL_OK && old) {
		pl_checkpoint prev;
		if (pl_checkpoint_open(old, strlen(old), log_key, NULL, 0, 0, &prev, NULL, NULL) !=
		    PL_OK)
			rc = pl_error_set(err, PL_EINPUT, state_path,
					  "the witness state is not a checkpoint of this log");
		else if (prev.size > 0 && prev.size < cp.size && !proof_json)
			rc = pl_error_set(err, PL_EINPUT, "witness",
					  "a consistency proof from size %llu is needed",
					  (unsigned long long)prev.size);
		else if (prev.size > 0 && prev.size < cp.size)
			rc = pl_witness_check(old, new_note, proof_json, log_key, err);
		else
			rc = pl__check_consistent(&prev, &cp, NULL, 0, err);
	}
	free(old);
	if (rc != PL_OK)
		return rc;
	*cosigned = strdup(new_note);
	if (!*cosigned)
		return pl_error_set(err, PL_ENOMEM, "witness", "out of memory");
	rc = pl_checkpoint_cosign(cosigned, witness, now, err);
	if (rc == PL_OK)
		rc = pl_write_file_atomic(state_path, *cosigned, strlen(*cosigned), err);
	if (rc != PL_OK) {
		free(*cosigned);
		*cosigned = NULL;
	}
	return rc;
}

/* 1 when line (a parsed signature) is already in the note n. */
static int has_sig(const pl__note *n, const pl__note_sig *s)
{
	for (size_t i = 0; i < n->nsig; i++)
		if (n->sig[i].id == s->id && n->sig[i].len == s->len &&
		    strcmp(n->sig[i].name, s->name) == 0 &&
		    memcmp(n->sig[i].sig, s->sig, s->len) == 0)
			return 1;
	return 0;
}

/* The signature lines of note, one per line, in order (pointers into note). */
static const char *sig_line(const char *note, const pl__note *n, size_t k, size_t *len)
{
	const char *p = n->text + n->text_len + 1;
	for (size_t i = 0; i < k; i++)
		p = strchr(p, '\n') + 1;
	*len = (size_t)(strchr(p, '\n') - p) + 1;
	(void)note;
	return p;
}

static int attach(pl_ledger *lg, const pl__note *in, const char *note, const pl_checkpoint *cp,
		  size_t *added, pl_error *err)
{
	char *stored = NULL;
	pl__note cur;
	int rc = pl__note_for_size(lg, (int64_t)cp->size, &stored, err);
	if (rc == PL_OK && !stored)
		rc = pl_error_set(err, PL_EINPUT, "cosignature",
				  "this log signed no checkpoint of size %llu",
				  (unsigned long long)cp->size);
	if (rc == PL_OK &&
	    (pl__note_parse(stored, strlen(stored), &cur, err) != PL_OK ||
	     cur.text_len != in->text_len || memcmp(cur.text, in->text, in->text_len) != 0))
		rc = pl_error_set(err, PL_EINPUT, "cosignature",
				  "the note's text is not the stored checkpoint's");
	for (size_t i = 0; rc == PL_OK && i < in->nsig; i++) {
		const pl__note_sig *s = &in->sig[i];
		if (has_sig(&cur, s))
			continue;
		const pl__party *p = pl__state_party(&lg->st, s->name);
		pl_checkpoint tmp;
		if (!p || s->id != pl_key_id(&p->key, 0x04) ||
		    pl_checkpoint_open(note, strlen(note), &lg->st.log_key, &p->key, 1, 1, &tmp,
				       NULL, NULL) != PL_OK) {
			rc = pl_error_set(err, PL_EINPUT, "cosignature",
					  "line %zu (%s) is not a valid cosignature of a "
					  "registered party",
					  i + 1, s->name);
			break;
		}
		size_t len;
		const char *line = sig_line(note, in, i, &len);
		size_t old = strlen(stored);
		char *grown = realloc(stored, old + len + 1);
		if (!grown) {
			rc = pl_error_set(err, PL_ENOMEM, "cosignature", "out of memory");
			break;
		}
		stored = grown;
		memcpy(stored + old, line, len);
		stored[old + len] = '\0';
		if (pl__note_parse(stored, strlen(stored), &cur, err) != PL_OK)
			rc = PL_EINPUT;
		(*added)++;
	}
	if (rc == PL_OK && *added)
		rc = pl__store_note(lg, cp->size, stored, err);
	free(stored);
	return rc;
}

int pl_ledger_add_cosignatures(pl_ledger *lg, const char *note, size_t *added, pl_error *err)
{
	pl__note in;
	pl_checkpoint cp;
	*added = 0;
	if (pl__note_parse(note, strlen(note), &in, err) != PL_OK ||
	    pl_checkpoint_open(note, strlen(note), &lg->st.log_key, NULL, 0, 0, &cp, NULL, err) !=
		    PL_OK)
		return PL_EINPUT;
	if (pl__writable(lg, err) != PL_OK)
		return PL_EINPUT;
	if (pl__exec(lg, "BEGIN IMMEDIATE", err) != PL_OK)
		return PL_EIO;
	int rc = attach(lg, &in, note, &cp, added, err);
	if (rc == PL_OK)
		rc = pl__exec(lg, "COMMIT", err);
	if (rc != PL_OK) {
		pl__exec(lg, "ROLLBACK", NULL);
		*added = 0;
	}
	return rc;
}
