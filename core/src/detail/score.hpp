// SPDX-License-Identifier: MIT
// The per-row arithmetic of category and health scores, shared by the scorer's column loops and by
// explain(), so a what-if computed for one account is bit for bit what the scorer would compute.
#pragma once

#include <limits>

#include "healthscore/model.hpp"

namespace healthscore::detail {

/// What a missing signal adds to a category's sums under each policy (per unit of weight).
struct missing_terms {
  double num = 0;  ///< 0 (renormalize, zero) or 50 (neutral)
  double den = 0;  ///< 0 (renormalize) or 1 (zero, neutral)
};
inline missing_terms terms_for(missing_policy p) noexcept {
  switch (p) {
    case missing_policy::zero: return {0, 1};
    case missing_policy::neutral: return {50, 1};
    case missing_policy::renormalize: break;
  }
  return {0, 0};
}

// Sums start at 0 and take terms in model order; the mean is num / den. Both sides of each choice are
// computed first and then selected, with no branch, so the column loops vectorize. GCC keeps a branch
// around any floating-point comparison under its default -ftrapping-math, so these helpers and the
// loops that use them (score.cpp) are built without it; GCC inlines only between functions with the
// same options. The operations, and so the results, are the same IEEE ones either way.
#if defined(__GNUC__) && !defined(__clang__)
#define HEALTHSCORE_VECTOR_MATH __attribute__((optimize("no-trapping-math")))
#else
#define HEALTHSCORE_VECTOR_MATH
#endif

/// Adds one signal score `v` (NaN: missing) of weight `w` > 0 to a category's sums.
HEALTHSCORE_VECTOR_MATH inline void add_signal(double& num, double& den, double v, double w, missing_terms m) noexcept {
  const bool present = v == v;
  const double wv = w * v, wm = w * m.num, wd = w * m.den;
  num += present ? wv : wm;
  den += present ? w : wd;
}

/// Adds one category score `v` (NaN: missing) of weight `w` > 0 to the health score's sums.
HEALTHSCORE_VECTOR_MATH inline void add_category(double& num, double& den, double v, double w) noexcept {
  const bool present = v == v;
  const double wv = w * v;
  num += present ? wv : 0.0;
  den += present ? w : 0.0;
}

/// The weighted mean, NaN when nothing was counted.
HEALTHSCORE_VECTOR_MATH inline double mean_of(double num, double den) noexcept {
  const double q = num / den;
  return den > 0 ? q : std::numeric_limits<double>::quiet_NaN();
}

/// Whether a category takes part in the health score: a positive weight and a switched-on signal.
inline bool category_counts(const category& c) noexcept {
  if (!(c.weight > 0)) return false;
  for (const signal& s : c.signals)
    if (s.weight > 0) return true;
  return false;
}

}  // namespace healthscore::detail
