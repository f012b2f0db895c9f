// SPDX-License-Identifier: MIT
// Native benchmarks: CSV ingest throughput and rescoring after a weight change.
//   bench_native FILE.csv MODEL.json [runs]
// Prints one JSON object per measurement (median and all runs, in ms) for scripts/bench.
#include <algorithm>
#include <chrono>
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
  if (!m.categories.at(0).signals.empty()) {
    const double sw = m.categories[0].signals[0].weight;
    report("rescore_signal_weight",
           time_runs(std::max(runs, 21), [&](int i) { s.set_signal_weight(0, 0, sw * (1.0 + 0.01 * (i + 1))); }));
  }
  return 0;
}
