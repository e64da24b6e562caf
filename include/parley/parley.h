/* parley.h - the umbrella header: include this to use the whole library. */
#ifndef PARLEY_H
#define PARLEY_H

#include "parley/version.h"
#include "parley/error.h"
#include "parley/case.h"
#include "parley/io.h"
#include "parley/engine.h"
#include "parley/analysis.h"
#include "parley/game.h"
#include "parley/ledger.h"
#include "parley/ktab.h"
#include "parley/roadmap.h"
#include "parley/feasible.h"
#include "parley/digest.h"
#include "parley/report.h"
#include "parley/backtest.h"

#endif
