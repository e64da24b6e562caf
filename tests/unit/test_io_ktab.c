/* test_io_ktab.c - KTAB's shipped SMP CSV scenarios (../shared/peers/ktab,
 * never copied into the repository): each is read, and written back as
 * KTAB CSV it reads as the same case with nothing reported lost.  Exits 77
 * (skipped) when the folder is absent. */
#include "helpers.h"

#include <unistd.h>

#define KTAB_DIR "../shared/peers/ktab"

static const char *const files[] = {"SOE-Competitive.csv", "SOE-Pol-Comp.csv",
				    "SOE-Policy.csv",	   "dummyData-a040.csv",
				    "dummyData-a080.csv",  "dummyData-a160.csv",
				    "dummyData_3Dim.csv",  "dummyData_3Dim-no-final-comma.csv",
				    "dummyData_6Dim.csv"};

static void ktab_shipped_scenarios(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", KTAB_DIR, files[k]);
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		int rc = pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err);
		if (rc) {
			char buf[2048];
			print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
		}
		assert_int_equal(rc, PL_OK);
		char *out = NULL;
		const char *lost = "?";
		assert_int_equal(pl_case_write_ktab(c, &out, &lost, &err), PL_OK);
		if (lost)
			print_error("%s: lost %s\n", files[k], lost);
		assert_null(lost);
		pl_case *d = case_from(out, files[k]);
		assert_string_equal(pl_case_hash(c), pl_case_hash(d));
		print_message("  %-36s read, written and read back the same\n", files[k]);
		free(out);
		pl_case_free(d);
		pl_case_free(c);
	}
}

int main(void)
{
	if (access(KTAB_DIR, R_OK) != 0) {
		printf("skipped: %s is absent (KTAB's shipped scenarios)\n", KTAB_DIR);
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ktab_shipped_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
