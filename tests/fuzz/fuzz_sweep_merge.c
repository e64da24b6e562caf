/* fuzz_sweep_merge.c - libFuzzer target: pl_sweep_merge takes bytes from
 * other processes.  As in a split run (`sweep --first/--count` on several
 * machines), two parts of one sweep are made, one part's packed bytes are
 * corrupted by the input and merged into the other; the merge must reject
 * them or succeed without crashing, and every accessor must then work.
 *
 * The first input byte chooses the sweep: sensitivity off, by design or
 * from given data; factors by input, actor or kind of input; none, one or
 * three thresholds (at least, at most, between); where the split falls.
 * The second chooses where the corruption lands (one of 128 places spread
 * over the header and the accumulators) and whether the bytes are cut short
 * there; the rest is XORed over the packed part.  (A harness that always
 * ran one sweep configuration and merged a whole sweep into itself reached
 * none of the given-data estimators nor the threshold ordering, and its
 * coverage stopped growing with its seeds.) */
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
	"\"y\":{\"position\":20,\"salience\":90}}},"
	"{\"id\":\"C\",\"capability\":3,\"stances\":{\"x\":{\"position\":40,\"salience\":30},"
	"\"y\":{\"position\":95,\"salience\":60}}}]}";

#define N_SAMPLES 8

static void run_part(const pl_case *c, const pl_sweep_options *base, uint64_t first, uint64_t count,
		     pl_sweep **out)
{
	pl_sweep_options o = *base;
	o.first = first;
	o.count = count;
	if (pl_sweep_run(c, pl_engine_find("median", NULL), &o, out, NULL))
		abort();
}

static void use_every_accessor(const pl_case *c, const pl_sweep *s)
{
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_sweep_summary sm;
		pl_sweep_summary_of(s, i, &sm, NULL);
		(void)pl_sweep_quantile(s, i, 0.5);
		(void)pl_sweep_quantile(s, i, 0.05);
		const uint64_t *counts;
		double lo, hi;
		(void)pl_sweep_histogram(s, i, &counts, &lo, &hi);
		const pl_sweep_prob *p;
		(void)pl_sweep_thresholds(s, i, &p);
		for (size_t k = 0; k < pl_sweep_n_factors(s); k++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, k, &x, NULL);
			(void)pl_sweep_factor_label(s, k);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the case never changes: read once (the library keeps no state between
	 * calls; a const case may be shared) */
	static pl_case *c;
	if (!c &&
	    pl_case_read_mem(case_text, strlen(case_text), "fuzz.json", PL_FORMAT_JSON, &c, NULL))
		abort();
	uint8_t conf = size > 0 ? data[0] : 0, where = size > 1 ? data[1] : 0;
	data += size > 2 ? 2 : size;
	size -= size > 2 ? 2 : size;

	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = N_SAMPLES;
	o.seed = 7;
	o.threads = 1;
	o.bins = 4;
	o.sensitivity = conf % 3;	    /* off, design, given data */
	o.by = (pl_sweep_by)(conf / 3 % 3); /* input, actor, kind */
	const pl_threshold thr[3] = {
		{.issue = PL_ALL_ISSUES, .value = 50},
		{.issue = 0, .value = 30, .kind = PL_AT_MOST},
		{.issue = 1, .value = 20, .kind = PL_BETWEEN, .hi = 70},
	};
	static const size_t n_thr[] = {0, 1, 3};
	o.thresholds = thr;
	o.n_thresholds = n_thr[conf / 9 % 3];
	uint64_t split = 1 + (uint64_t)(conf / 27) % (N_SAMPLES - 1);

	pl_sweep *whole = NULL, *part = NULL;
	run_part(c, &o, 0, split, &whole);
	run_part(c, &o, split, N_SAMPLES - split, &part);
	void *buf;
	size_t len;
	if (pl_sweep_pack(part, &buf, &len, NULL))
		abort();
	pl_sweep_free(part);

	size_t at = (size_t)(where & 0x7f) * len / 128 / 8 * 8, keep = len;
	if (where & 0x80)
		keep = at;
	for (size_t k = 0; k < size && at + k < len; k++)
		((uint8_t *)buf)[at + k] ^= data[k];
	pl_sweep_merge(whole, buf, keep, NULL);
	free(buf);
	use_every_accessor(c, whole);
	pl_sweep_free(whole);
	return 0;
}
