/* fuzz_sweep_merge.c - libFuzzer target: pl_sweep_merge takes bytes from
 * other processes; corrupted bytes (the fuzz input written over a valid
 * packed sweep, the first byte choosing where and how much is kept) must be
 * rejected or merged without crashing, and every accessor must then work. */
#include <parley/parley.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char case_text[] =
	"{\"issues\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"actors\":["
	"{\"id\":\"A\",\"capability\":2,\"stances\":{\"x\":{\"position\":10,\"salience\":50},"
	"\"y\":{\"position\":60,\"salience\":40}}},"
	"{\"id\":\"B\",\"capability\":1,\"stances\":{\"x\":{\"position\":80,\"salience\":70},"
	"\"y\":{\"position\":20,\"salience\":90}}}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_case *c = NULL;
	if (pl_case_read_mem(case_text, strlen(case_text), "fuzz.json", PL_FORMAT_JSON, &c, NULL))
		abort();
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 16;
	o.threads = 1;
	o.sensitivity = 1;
	o.bins = 4;
	pl_threshold t = {.issue = PL_ALL_ISSUES, .value = 50};
	o.thresholds = &t;
	o.n_thresholds = 1;
	pl_sweep *s = NULL;
	if (pl_sweep_run(c, pl_engine_find("median", NULL), &o, &s, NULL))
		abort();
	void *buf;
	size_t len;
	if (pl_sweep_pack(s, &buf, &len, NULL))
		abort();
	size_t keep = len, at = 0;
	if (size > 0) {
		/* high bit: truncate; low bits: where the bytes land (header or body) */
		at = (data[0] & 0x7f) * 64 % len;
		if (data[0] & 0x80)
			keep = at;
		data++;
		size--;
	}
	for (size_t k = 0; k < size && at + k < len; k++)
		((uint8_t *)buf)[at + k] ^= data[k];
	pl_sweep_merge(s, buf, keep, NULL);
	free(buf);
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_sweep_summary sm;
		pl_sweep_summary_of(s, i, &sm, NULL);
		(void)pl_sweep_quantile(s, i, 0.5);
		const uint64_t *counts;
		double lo, hi;
		(void)pl_sweep_histogram(s, i, &counts, &lo, &hi);
		const pl_sweep_prob *p;
		(void)pl_sweep_thresholds(s, i, &p);
		for (size_t k = 0; k < pl_sweep_n_inputs(s); k++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, k, &x, NULL);
		}
	}
	pl_sweep_free(s);
	pl_case_free(c);
	return 0;
}
