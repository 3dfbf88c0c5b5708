#include "recommend/session_knn.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"

namespace storepilot::recommend {

void SessionKnn::AddSession(std::span<const ItemIndex> session) {
  const int32_t id = num_sessions();
  // Keep each item once, at the position of its last click.
  absl::flat_hash_map<ItemIndex, int32_t> last;
  for (int32_t p = 0; p < static_cast<int32_t>(session.size()); ++p) last[session[p]] = p;
  if (last.empty()) return;
  for (int32_t p = 0; p < static_cast<int32_t>(session.size()); ++p) {
    ItemIndex item = session[p];
    if (last[item] != p) continue;
    entries_.push_back({item, p});
    if (item >= static_cast<ItemIndex>(postings_.size())) postings_.resize(item + 1);
    postings_[item].push_back(id);
  }
  session_start_.push_back(static_cast<int32_t>(entries_.size()));
  session_norm_.push_back(static_cast<float>(
      std::pow(static_cast<double>(last.size()), options_.length_norm)));
}

std::vector<SessionKnn::Neighbour> SessionKnn::FindNeighbours(
    std::span<const ItemIndex> prefix) const {
  if (prefix.size() > static_cast<size_t>(options_.max_query_items)) {
    prefix = prefix.subspan(prefix.size() - options_.max_query_items);
  }
  // Weight of each distinct item of the prefix: its most recent position.
  const int32_t length = static_cast<int32_t>(prefix.size());
  absl::flat_hash_map<ItemIndex, std::pair<float, int32_t>> weight;  // w, position
  const double total = std::max(1, num_sessions());
  for (int32_t p = 0; p < length; ++p) {
    double w = std::exp(-(length - 1 - p) / options_.position_decay);
    const ItemIndex item = prefix[p];
    if (options_.idf_power > 0 && item >= 0 && item < static_cast<ItemIndex>(postings_.size()) &&
        !postings_[item].empty()) {
      w *= std::pow(1.0 + std::log(total / postings_[item].size()), options_.idf_power);
    }
    weight[item] = {static_cast<float>(w), p};
  }
  struct Acc {
    float dot = 0.0f;
    int32_t best_position = -1;
    ItemIndex best_item = kNoItem;
  };
  absl::flat_hash_map<int32_t, Acc> candidates;
  for (const auto& [item, wp] : weight) {
    if (item < 0 || item >= static_cast<ItemIndex>(postings_.size())) continue;
    const std::vector<int32_t>& sessions = postings_[item];
    size_t from = sessions.size() > static_cast<size_t>(options_.sample_size)
                      ? sessions.size() - options_.sample_size
                      : 0;
    for (size_t i = from; i < sessions.size(); ++i) {
      Acc& acc = candidates[sessions[i]];
      acc.dot += wp.first;
      if (wp.second > acc.best_position) {
        acc.best_position = wp.second;
        acc.best_item = item;
      }
    }
  }
  const float norm_current =
      static_cast<float>(std::pow(static_cast<double>(weight.size()), options_.length_norm));
  const int32_t newest = num_sessions() - 1;
  std::vector<Neighbour> neighbours;
  neighbours.reserve(candidates.size());
  for (const auto& [session, acc] : candidates) {
    float sim = acc.dot / (norm_current * session_norm_[session]);
    if (options_.recency_decay > 0) {
      sim *= static_cast<float>(
          std::exp(-(newest - session) / (options_.recency_decay * (newest + 1))));
    }
    // The anchor position is looked up below, for the k kept only.
    neighbours.push_back({session, sim, acc.best_item});
  }
  auto better = [](const Neighbour& a, const Neighbour& b) {
    if (a.similarity != b.similarity) return a.similarity > b.similarity;
    return a.session > b.session;  // prefer the more recent session
  };
  size_t k = std::min<size_t>(options_.neighbors, neighbours.size());
  std::partial_sort(neighbours.begin(), neighbours.begin() + k, neighbours.end(), better);
  neighbours.resize(k);
  for (Neighbour& n : neighbours) {
    const ItemIndex shared = n.anchor_position;
    n.anchor_position = 0;
    for (int32_t e = session_start_[n.session]; e < session_start_[n.session + 1]; ++e) {
      if (entries_[e].item == shared) n.anchor_position = entries_[e].position;
    }
  }
  return neighbours;
}

void SessionKnn::Score(std::span<const ItemIndex> prefix, ScoreBuffer* scores) const {
  if (prefix.empty()) return;
  scores->Resize(static_cast<int32_t>(postings_.size()));
  for (const Neighbour& n : FindNeighbours(prefix)) {
    for (int32_t e = session_start_[n.session]; e < session_start_[n.session + 1]; ++e) {
      const Entry& entry = entries_[e];
      const int32_t offset = entry.position - n.anchor_position;
      float vote = n.similarity *
                   static_cast<float>(std::exp(-std::abs(offset) /
                                               options_.neighbor_position_decay));
      if (offset < 0) vote *= static_cast<float>(options_.before_anchor_weight);
      scores->Add(entry.item, vote);
    }
  }
}

}  // namespace storepilot::recommend
