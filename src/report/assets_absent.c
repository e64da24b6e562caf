/* assets_absent.c - built when Chart.js was not in node_modules at build
 * time: no assets, and pl_report_html says how to get them. */
#include "report_internal.h"

const unsigned char pl__report_chartjs[] = {0}, pl__report_js[] = {0}, pl__report_css[] = {0};
const size_t pl__report_chartjs_len = 0, pl__report_js_len = 0, pl__report_css_len = 0;
const int pl__report_assets_present = 0;
