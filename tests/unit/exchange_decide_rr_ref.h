/* exchange_decide_rr_ref.h - Decide's random-rate model on its three data
 * sets, run with parley's draws: the forecast after each of 10 rounds, the
 * reference test_exchange_decide.c holds `-p rate=random --seed S` to (1e-6,
 * every round and issue).  Numbers only: Decide's code and data are GPL-3.0
 * and stay outside the repository (the data is read from
 * ../shared/peers/decide).
 *
 * How they were made (docs/models/exchange.md, "The random-rate model"):
 *   repository  github.com/foarsitter/decide-exchange-model
 *   commit      51dee664ee941f048a007069fe71ee857171df6f (2025-11-18)
 *   python      3.11 with Decide's decide/model package only (its
 *               decide.data.database, imported by Actor.__eq__ for a
 *               comparison that never happens here, a stand-in module)
 *   model       decide.model.randomrate.RandomRateModel, built from the file
 *               as Decide's ModelFactory builds it (each actor's name = its
 *               id; issues with the lowest and highest #M value as bounds;
 *               #D rows as Decimal), decide.model.utils.ModelLoop(...).loop()
 *               10 times; the forecast of round r is model.nbs after loop r,
 *               de-normalised with Issue.de_normalize, printed with
 *               repr(float(...)).
 *   to run      the model does not run at this commit (its exchange actors
 *               lack the attributes its code reads): the driver gives
 *               RandomRateExchangeActor properties x, s, c (the supply
 *               stance's position, salience, power), x_demand, s_demand (the
 *               demand stance's), actor_name, supply_issue, demand_issue.
 *   draws       randomrate's random.uniform(a, b) answered, in the order of
 *               the calls (two per exchange, when the round lists it), by
 *               a + (b - a) * u with u parley's draw for that exchange:
 *               Philox4x32-10 (written out in the driver) keyed by the seed,
 *               counter (round, exchange's index among those the round
 *               listed, 0, 0x78636852), first then second output / 2^32.
 *   knife edges Decide's decisions that turn on the last of its 28 digits,
 *               made as parley makes them, by one-line edits of the source
 *               text at run time (asserted to match exactly once):
 *               - randomrate.calculate: i's drawn move is capped only when it
 *                 passes j's position by more than 1e-9;
 *               - adjust_position_by_outcome: a lowered move stops at the
 *                 other's position only when it passes it by more than 1e-9;
 *               - highest_gain: "moved all the way" (y == the other's
 *                 demand position) to 1e-9; gains within 1e-9 (relative,
 *                 1e-15 absolute) are equal in the search for a best of both
 *                 and in the next-best gain, the exchanges lowered are those
 *                 whose gain at the pass's start equals the best so, and the
 *                 ranking is a stable merge sort keeping such gains in list
 *                 order (parley's sort);
 *               - base.check_nbs: the mean passes the demander's position
 *                 only by more than 1e-9 (as the Equal-Gain reference);
 *               - base.is_move_valid: a position past 0 or 100 by at most
 *                 1e-9 is on the scale.
 *   command     python3 DRIVER CHECKOUT ../shared/peers/decide/FILE 10 SEED
 */
#ifndef EXCHANGE_DECIDE_RR_REF_H
#define EXCHANGE_DECIDE_RR_REF_H

typedef struct decide_rr_ref {
	decide_ref ref;
	uint64_t seed;
} decide_rr_ref;

static const char *const rr_sample_1_issues[] = {"tolheffing-binnenstad", "tol-hoogte",
						 "wanneer-tol",		  "woonwerkverkeer",
						 "extra-investering",	  "kleine-of-grote-ring"};
static const double rr_sample_1[] = {
	/* round 1 */ 33.94156362115623,
	3.213740458015267,
	62.71626355920173,
	28.09248554913295,
	59.05127277118513,
	53.95885932790528,
	/* round 2 */ 36.374616260397254,
	4.259541984732825,
	25.143715410572636,
	8.06310261432337,
	73.42787207920233,
	41.13863337643893,
	/* round 3 */ 39.06814079449393,
	4.11920625980464,
	42.172996917399125,
	16.416423531590436,
	64.38425437353746,
	45.24796685892517,
	/* round 4 */ 47.58786751991955,
	3.2814366918684525,
	72.68773692041015,
	21.5397241125111,
	73.9919128355218,
	39.912939186352844,
	/* round 5 */ 47.562627877290524,
	3.332871735925611,
	50.48744702173266,
	26.061867229180937,
	73.41958367321581,
	41.789495722292365,
	/* round 6 */ 48.91331004762847,
	3.9019221392165018,
	68.04235127194877,
	19.017387173780122,
	71.04994891793879,
	40.687225788753956,
	/* round 7 */ 65.92812583687252,
	3.760754800467355,
	59.137551180639136,
	14.111347568827567,
	71.00807595010029,
	52.72477037410642,
	/* round 8 */ 59.4771698418765,
	3.9417480742995896,
	52.61523639788882,
	6.119486181679518,
	62.18876458295849,
	50.48702027416256,
	/* round 9 */ 52.08255483512044,
	3.8013320066080767,
	58.293946322927525,
	8.665826387596432,
	79.37920996313676,
	55.30283056621097,
	/* round 10 */ 53.72351690484949,
	3.771726350187396,
	55.80332795621768,
	10.483198047633305,
	71.60653799700818,
	56.95643877396611,
};
static const char *const rr_copenhagen_1_issues[] = {
	"Newtreaty", "DevlopC2020", "Domestred", "MRVdecrease", "Commitments", "Control", "Extra"};
static const double rr_copenhagen_1[] = {
	/* round 1 */ 48.7688132574071,
	40.151690969233044,
	25.434083601286172,
	48.53469575293322,
	27.384316326001304,
	50.226850921195854,
	86.84449165051909,
	/* round 2 */ 45.93037913546645,
	50.51946026365676,
	51.52271022526977,
	41.66640670504694,
	21.869597786354827,
	61.98211418940583,
	79.53307841110264,
	/* round 3 */ 72.93494972586022,
	71.6998098922951,
	43.9294471127726,
	53.75051468421786,
	16.527147714673415,
	75.96572011483471,
	88.33824447381025,
	/* round 4 */ 45.357011556562036,
	67.51891986056476,
	36.61252496810356,
	43.72501769063075,
	22.66441932735041,
	58.71676286646074,
	84.7073137021082,
	/* round 5 */ 37.068632090092805,
	70.59783254712438,
	30.296671862314213,
	34.33932887344283,
	15.42844419578505,
	72.84697074124091,
	81.61257158148699,
	/* round 6 */ 41.58097833696684,
	71.41461576235372,
	22.78261316659073,
	37.261460936953206,
	18.844546987389457,
	72.65016477504163,
	83.34789343986631,
	/* round 7 */ 44.9805842398978,
	69.16990576796387,
	34.82025320292798,
	41.9911237380998,
	18.196688099908343,
	58.724958141536995,
	83.31417749786162,
	/* round 8 */ 46.01543359994319,
	70.292879765169,
	24.71703078780728,
	40.09228084352866,
	22.93854858446012,
	67.56168866333545,
	84.22112867832728,
	/* round 9 */ 36.543697572513814,
	66.66087947369925,
	32.96557601998417,
	36.19485342291931,
	24.201876080045164,
	63.930945642175814,
	83.44989174209144,
	/* round 10 */ 40.505944701458105,
	67.37704597892566,
	25.27766215763879,
	32.26259494123721,
	22.633179748984404,
	66.24003919429106,
	84.01483237362757,
};
static const char *const rr_sample_2_issues[] = {"tolheffing-binnenstad", "tol-hoogte",
						 "wanneer-tol",		  "woonwerkverkeer",
						 "extra-investering",	  "kleine-of-grote-ring"};
static const double rr_sample_2[] = {
	/* round 1 */ 41.069651741293534,
	3.0498839550190286,
	53.08824160462237,
	38.45652139840638,
	67.26404037144458,
	43.89702529577259,
	/* round 2 */ 39.48333007644238,
	4.051661653859098,
	56.63782885763468,
	24.379939179106564,
	68.89982050273645,
	49.70973115516055,
	/* round 3 */ 65.60808669986638,
	4.002799772700529,
	54.466308433825716,
	34.41736658897854,
	74.06586571285132,
	51.31743193742021,
	/* round 4 */ 61.61775267815635,
	3.103947584103674,
	61.88777053478916,
	31.11760182462564,
	79.2755975484473,
	50.88282022399635,
	/* round 5 */ 60.92702725184772,
	4.556585666514389,
	66.74056971154221,
	30.298407053144075,
	84.1848489027438,
	41.15754002417901,
	/* round 6 */ 63.262479637376344,
	4.09559490746281,
	67.72318876504404,
	21.597990312046146,
	79.22250038682336,
	45.753076898955996,
	/* round 7 */ 63.732095719843954,
	4.47034340593685,
	64.65663356575588,
	19.55390475208363,
	80.6676201216454,
	44.6509328910898,
	/* round 8 */ 60.36329912823858,
	4.341179295952661,
	59.20711415943984,
	28.084807900326194,
	80.44090556863333,
	46.99425771565554,
	/* round 9 */ 61.13717507570499,
	4.198617406133414,
	56.53550664267964,
	20.81413575887191,
	76.95653129700963,
	42.15277075685273,
	/* round 10 */ 59.209408419228026,
	4.149178814186092,
	67.85864719255788,
	21.468585948272022,
	73.77250888141181,
	41.89227086817629,
};

static const decide_rr_ref decide_rr_refs[] = {
	{{"sample_data.txt", 10, 6, rr_sample_1_issues, rr_sample_1}, 1},
	{{"copenhagen.csv", 10, 7, rr_copenhagen_1_issues, rr_copenhagen_1}, 1},
	{{"sample_data.txt", 10, 6, rr_sample_2_issues, rr_sample_2}, 2},
};

#endif
