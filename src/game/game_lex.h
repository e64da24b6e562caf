/* game_lex.h - the tokenizer shared by the .efg and .nfg readers. */
#ifndef PARLEY_GAME_LEX_H
#define PARLEY_GAME_LEX_H

#include <stddef.h>

#include "parley/error.h"

enum {
	PL__TOK_NUMBER,
	PL__TOK_TEXT,
	PL__TOK_SYMBOL,
	PL__TOK_LBRACE,
	PL__TOK_RBRACE,
	PL__TOK_COMMA,
	PL__TOK_EOF,
	PL__TOK_ERROR
};

typedef struct pl__lexer {
	const char *buf;
	size_t len, pos;
	int line;
	int tok_line; /* line where the current token starts */
	int tok;
	char *text; /* text of the current NUMBER / TEXT / SYMBOL token */
	size_t text_len, text_cap;
	const char *name;
	pl_error *err;
	int nomem; /* memory ran out: the reader's PL_EINPUT becomes PL_ENOMEM */
} pl__lexer;

void pl__lex_init(pl__lexer *lx, const char *buf, size_t len, const char *name, pl_error *err);
void pl__lex_free(pl__lexer *lx);
/* Reads the next token into lx->tok; PL__TOK_ERROR after recording an error. */
int pl__lex_next(pl__lexer *lx);
/* Records "NAME:LINE: fmt" as a PL_EINPUT error and returns PL_EINPUT. */
int pl__lex_fail(pl__lexer *lx, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Records "out of memory" and returns PL_ENOMEM; the current token
 * becomes PL__TOK_ERROR so that reading stops. */
int pl__lex_nomem(pl__lexer *lx);
const char *pl__tok_name(int tok);
/* Refuses a NUL byte or invalid UTF-8 anywhere in the text (a label would
 * be cut at the NUL, or written out as invalid JSON), naming the line. */
int pl__lex_check_text(pl__lexer *lx);

#endif
