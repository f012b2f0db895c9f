// SPDX-License-Identifier: MIT
// Umbrella header: everything the command line, the bindings and the tests use.
#pragma once

#include "healthscore/archive.hpp"
#include "healthscore/cells.hpp"
#include "healthscore/csv.hpp"
#include "healthscore/evidence.hpp"
#include "healthscore/execute.hpp"
#include "healthscore/explain.hpp"
#include "healthscore/export.hpp"
#include "healthscore/model.hpp"
#include "healthscore/order.hpp"
#include "healthscore/scenario.hpp"
#include "healthscore/score.hpp"
#include "healthscore/sql.hpp"
#include "healthscore/suggest.hpp"
#include "healthscore/table.hpp"
#include "healthscore/trend.hpp"
#include "healthscore/workbook.hpp"
