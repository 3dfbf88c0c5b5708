#include "fraud/metrics.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace storepilot::fraud {
namespace {

absl::Status CheckInputs(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.size() != labels.size()) {
    return absl::InvalidArgumentError("scores and labels differ in length");
  }
  const int64_t pos = std::count(labels.begin(), labels.end(), 1);
  if (pos == 0 || pos == static_cast<int64_t>(labels.size())) {
    return absl::InvalidArgumentError("metric needs both positive and negative labels");
  }
  return absl::OkStatus();
}

// Indices sorted by descending score.
std::vector<size_t> ByScoreDesc(const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

absl::StatusOr<double> RocAuc(const std::vector<double>& scores,
                              const std::vector<int>& labels) {
  if (absl::Status s = CheckInputs(scores, labels); !s.ok()) return s;
  const std::vector<size_t> order = ByScoreDesc(scores);
  double pos_total = std::count(labels.begin(), labels.end(), 1);
  double neg_total = labels.size() - pos_total;
  // Walk groups of tied scores; each negative outranks the positives seen
  // before it and ties with the positives of its own group.
  double area = 0, pos_seen = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double pos = 0, neg = 0;
    for (; j < order.size() && scores[order[j]] == scores[order[i]]; ++j) {
      (labels[order[j]] == 1 ? pos : neg) += 1;
    }
    area += neg * (pos_seen + pos / 2);
    pos_seen += pos;
    i = j;
  }
  return area / (pos_total * neg_total);
}

absl::StatusOr<double> AveragePrecision(const std::vector<double>& scores,
                                        const std::vector<int>& labels) {
  if (absl::Status s = CheckInputs(scores, labels); !s.ok()) return s;
  const std::vector<size_t> order = ByScoreDesc(scores);
  const double pos_total = std::count(labels.begin(), labels.end(), 1);
  double ap = 0, tp = 0, seen = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double pos = 0;
    for (; j < order.size() && scores[order[j]] == scores[order[i]]; ++j) {
      pos += labels[order[j]] == 1;
      seen += 1;
    }
    tp += pos;
    ap += (pos / pos_total) * (tp / seen);
    i = j;
  }
  return ap;
}

absl::StatusOr<double> CardPrecisionTopK(const std::vector<CardScore>& rows, int k) {
  if (rows.empty() || k <= 0) return absl::InvalidArgumentError("no rows or k <= 0");
  std::map<int64_t, std::vector<const CardScore*>> by_day;
  for (const CardScore& r : rows) by_day[r.day].push_back(&r);
  absl::flat_hash_set<int64_t> caught;
  double total = 0;
  for (const auto& [day, day_rows] : by_day) {
    absl::flat_hash_map<int64_t, std::pair<double, int>> cards;  // max score, max label
    for (const CardScore* r : day_rows) {
      if (caught.contains(r->card)) continue;
      auto [it, inserted] = cards.try_emplace(r->card, r->score, r->label);
      if (!inserted) {
        it->second.first = std::max(it->second.first, r->score);
        it->second.second = std::max(it->second.second, r->label);
      }
    }
    std::vector<std::pair<double, int64_t>> ranked;  // (score, card)
    ranked.reserve(cards.size());
    for (const auto& [card, v] : cards) ranked.push_back({v.first, card});
    const size_t top = std::min<size_t>(k, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + top, ranked.end(),
                      [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    int hits = 0;
    for (size_t i = 0; i < top; ++i) {
      if (cards[ranked[i].second].second == 1) {
        ++hits;
        caught.insert(ranked[i].second);
      }
    }
    total += static_cast<double>(hits) / k;
  }
  return total / by_day.size();
}

}  // namespace storepilot::fraud
