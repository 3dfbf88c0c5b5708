#ifndef STOREPILOT_BENCH_SEARCH_WANDS_LABELS_H_
#define STOREPILOT_BENCH_SEARCH_WANDS_LABELS_H_

// WANDS human labels and nDCG with its gains (Exact = 2, Partial = 1,
// Irrelevant = 0, as 2^g - 1; unjudged results count 0), shared by the
// search benchmarks.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"

namespace storepilot::search::bench {

using Labels = std::map<std::string, std::map<std::string, int>>;

inline Labels ReadLabels(const std::string& path) {
  Labels labels;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> col = absl::StrSplit(line, '\t');
    if (col.size() < 3) continue;
    const int gain = col[2] == "Exact" ? 2 : col[2] == "Partial" ? 1 : 0;
    int& g = labels[col[0]][col[1]];
    g = std::max(g, gain);
  }
  return labels;
}

inline double Ndcg(const std::vector<std::string>& ranked,
                   const std::map<std::string, int>& judged, size_t k) {
  double dcg = 0;
  for (size_t i = 0; i < ranked.size() && i < k; ++i) {
    auto it = judged.find(ranked[i]);
    if (it != judged.end()) dcg += (std::pow(2.0, it->second) - 1) / std::log2(i + 2.0);
  }
  std::vector<int> gains;
  for (const auto& [id, g] : judged) gains.push_back(g);
  std::sort(gains.rbegin(), gains.rend());
  double ideal = 0;
  for (size_t i = 0; i < gains.size() && i < k; ++i) {
    ideal += (std::pow(2.0, gains[i]) - 1) / std::log2(i + 2.0);
  }
  return ideal > 0 ? dcg / ideal : 0.0;
}

}  // namespace storepilot::search::bench

#endif  // STOREPILOT_BENCH_SEARCH_WANDS_LABELS_H_
