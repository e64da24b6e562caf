/* assets_present.c - built with the report's assets (report_assets.c,
 * generated from Chart.js and assets/): `parley report` can write its page. */
#include "report_internal.h"

const int pl__report_assets_present = 1;
