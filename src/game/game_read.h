/* game_read.h - the state and token-level helpers shared by the .nfg reader
 * (game_read.c) and the .efg tree builder (game_read_efg.c); the JSON reader
 * uses the index of file numbers too. */
#ifndef PARLEY_GAME_READ_H
#define PARLEY_GAME_READ_H

#include "game_internal.h"
#include "game_lex.h"

/* An open-addressing index from (kind, player, number) to the position of
 * an information set or outcome, so long files read in linear time. */
typedef struct pl__idmap {
	size_t cap, used;
	long long *key;
	int *val;
} pl__idmap;

/* kind 1: an outcome, 2: an information set of player (0 for chance). */
long long pl__idmap_key(int kind, int player, long id);
/* The value stored under key, or -1. */
int pl__idmap_get(const pl__idmap *m, long long key);
/* 0, or PL_ENOMEM (the map is unchanged). */
int pl__idmap_put(pl__idmap *m, long long key, int val);
void pl__idmap_free(pl__idmap *m);

typedef struct pl__reader {
	pl__lexer lx;
	pl_game *g;
	int cap_node, cap_child, nchild, cap_info, cap_outc;
	pl__idmap ids; /* the tree's information sets and outcomes by file number */
} pl__reader;

/* Each returns 0 or PL_EINPUT after recording "FILE:LINE: rule" (or PL_ENOMEM
 * after recording it and setting r->lx.nomem). */
int pl__rd_next(pl__reader *r);
int pl__rd_expect(pl__reader *r, int tok, const char *what);
int pl__rd_expect_next(pl__reader *r, int tok, const char *what);
/* A count or identifier: a plain decimal integer in [lo, 10^9]. */
int pl__rd_int(pl__reader *r, const char *what, long lo, long *out);
int pl__rd_number(pl__reader *r, const char *what, mpq_t out);
/* One number per player (commas optional) and the closing '}', from the
 * first payoff's token; leaves the token after '}' current. */
int pl__rd_payoff_list(pl__reader *r, mpq_t *pay, const char *what);
int pl__rd_header(pl__reader *r, const char *magic, const char *version);
/* { "name" ... } ; leaves the token after '}' current. */
int pl__rd_players(pl__reader *r);
/* Grows *p (of *cap elements of elem bytes, zero-filled) to hold need;
 * 0, or PL_ENOMEM with *p and *cap unchanged. */
int pl__rd_grow(void **p, int *cap, int need, size_t elem);
/* Appends an outcome with the file's number id; returns its index, or
 * PL_ENOMEM (recorded). */
int pl__rd_new_outcome(pl__reader *r, long id, const char *label);

/* The two grammars: each reads the whole file into r->g. */
int pl__read_efg(pl__reader *r);
int pl__read_nfg(pl__reader *r);

#endif
