// SPDX-License-Identifier: MIT
// Native benchmarks: CSV ingest throughput and rescoring after a weight change.
//   bench_native FILE.csv MODEL.json [runs]
// Prints one JSON object per measurement (median and all runs, in ms) for scripts/bench.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "healthscore/healthscore.hpp"

namespace hs = healthscore;
using clock_type = std::chrono::steady_clock;

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

template <class F>
std::vector<double> time_runs(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = clock_type::now();
    f(i);
    ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
  }
  return ms;
}

void report(const char* what, const std::vector<double>& ms, double bytes = 0) {
  std::printf("{\"what\": \"%s\", \"median_ms\": %.3f", what, median(ms));
  if (bytes > 0) std::printf(", \"mb_per_s\": %.1f", bytes / 1e6 / (median(ms) / 1e3));
  std::printf(", \"runs_ms\": [");
  for (std::size_t i = 0; i < ms.size(); ++i) std::printf("%s%.3f", i ? ", " : "", ms[i]);
  std::printf("]}\n");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_native FILE.csv MODEL.json [runs]\n");
    return 2;
  }
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const std::string bytes = read_file(argv[1]);
  const hs::model m = hs::parse_model(read_file(argv[2]));

  // Peer for ingest: one memchr pass counting lines, the floor any reader pays to touch the bytes.
  std::size_t lines = 0;
  report("peer_memchr_scan",
         time_runs(runs,
                   [&](int) {
                     lines = 0;
                     for (const char* p = bytes.data();
                          (p = static_cast<const char*>(std::memchr(p, '\n', bytes.data() + bytes.size() - p))); ++p)
                       ++lines;
                   }),
         static_cast<double>(bytes.size()));
  std::printf("{\"what\": \"lines\", \"count\": %zu}\n", lines);

  hs::table t;
  report("csv_ingest", time_runs(runs, [&](int) { t = hs::read_csv(bytes); }), static_cast<double>(bytes.size()));
  std::printf("{\"what\": \"table\", \"rows\": %zu, \"columns\": %zu, \"bytes\": %zu, \"table_bytes\": %zu}\n", t.rows,
              t.columns.size(), bytes.size(), t.memory_bytes());

  std::vector<double> first;
  first = time_runs(1, [&](int) { hs::scorer s(t, m); });
  report("score_from_scratch", first);

  hs::scorer s(t, m);
  const double w0 = m.categories.at(0).weight;
  report("rescore_category_weight",
         time_runs(std::max(runs, 21), [&](int i) { s.set_category_weight(0, w0 * (1.0 + 0.01 * (i + 1))); }));
  // Peer for rescoring: the obvious scalar loop over the same category score vectors, renormalizing
  // over present categories per row and rounding for the band, as a straightforward port would.
  {
    const std::size_t n = t.rows, nc = m.categories.size();
    std::vector<const double*> cats(nc);
    for (std::size_t c = 0; c < nc; ++c) cats[c] = s.category_scores(c).data();
    std::vector<double> out(n);
    std::vector<int> band(n);
    std::vector<double> w(nc);
    for (std::size_t c = 0; c < nc; ++c) w[c] = m.categories[c].weight;
    report("peer_scalar_rescore", time_runs(std::max(runs, 21), [&](int i) {
             w[0] = w0 * (1.0 + 0.01 * (i + 1));
             for (std::size_t r = 0; r < n; ++r) {
               double num = 0, den = 0;
               for (std::size_t c = 0; c < nc; ++c) {
                 const double x = cats[c][r];
                 if (!std::isnan(x) && w[c] > 0) num += w[c] * x, den += w[c];
               }
               out[r] = den > 0 ? num / den : std::nan("");
               const double rounded = std::floor(out[r] + 0.5);
               band[r] = std::isnan(out[r]) ? -1 : rounded <= 50 ? 0 : rounded <= 70 ? 1 : 2;
             }
           }));
    std::size_t agree = 0;
    for (std::size_t r = 0; r < n; ++r) agree += band[r] == s.bands()[r];
    std::printf("{\"what\": \"peer_scalar_agrees\", \"rows\": %zu, \"same_band\": %zu}\n", n, agree);
    // The memory-bandwidth floor of a rescore: read every category score, write one double and one
    // byte per row, with no arithmetic worth the name (the compiler vectorizes it fully).
    // Written for the sample's four categories, so the loop vectorizes fully.
    if (nc == 4) {
      std::vector<std::int8_t> byte(n);
      const double* __restrict a = cats[0];
      const double* __restrict b = cats[1];
      const double* __restrict c = cats[2];
      const double* __restrict d = cats[3];
      double* __restrict o = out.data();
      std::int8_t* __restrict y = byte.data();
      report("peer_bandwidth_floor", time_runs(std::max(runs, 21), [&](int i) {
               const double k = 1.0 + 0.01 * (i + 1);
               for (std::size_t r = 0; r < n; ++r) {
                 o[r] = (a[r] + b[r] + c[r] + d[r]) * k;
                 y[r] = static_cast<std::int8_t>(r);
               }
             }));
    }
  }
  if (!m.categories.at(0).signals.empty()) {
    const double sw = m.categories[0].signals[0].weight;
    report("rescore_signal_weight",
           time_runs(std::max(runs, 21), [&](int i) { s.set_signal_weight(0, 0, sw * (1.0 + 0.01 * (i + 1))); }));
  }
  return 0;
}
