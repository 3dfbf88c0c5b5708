#ifndef STOREPILOT_RECOMMEND_SESSION_KNN_H_
#define STOREPILOT_RECOMMEND_SESSION_KNN_H_

#include <cstdint>
#include <span>
#include <vector>

#include "recommend/score_buffer.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

// Parameters of the session-based nearest-neighbour source. The defaults were
// chosen on a validation split carved from the Diginetica *training* sessions
// (see docs/recommend.md), never on a test set.
struct SessionKnnOptions {
  // Number of most similar past sessions that vote (k).
  int neighbors = 100;
  // Per item of the current session, how many of the most recent past
  // sessions containing it are considered as candidates.
  int sample_size = 1000;
  // lambda1 of STAN: an item at distance d from the end of the current
  // session weighs exp(-d / position_decay) in the similarity.
  double position_decay = 2.0;
  // Only the last max_query_items clicks of the current session query the
  // index: older ones weigh next to nothing and would only cost time on
  // long histories.
  int max_query_items = 30;
  // lambda3 of STAN: an item of a neighbour at distance d from the neighbour's
  // most recent item shared with the current session votes exp(-d / decay).
  double neighbor_position_decay = 20.0;
  // lambda2 of STAN with session order as the clock: a neighbour added r
  // sessions before the newest weighs exp(-r / (recency_decay * N)) where N
  // is the number of stored sessions; 0 disables.
  double recency_decay = 1.0;
  // Votes of neighbour items clicked before the shared item are multiplied
  // by this (the next item tends to follow, not precede, the anchor).
  double before_anchor_weight = 1.0;
  // Shared items weigh (1 + log(N / sessions containing them))^idf_power in
  // the similarity, so a rare shared item says more than a blockbuster; 0
  // disables.
  double idf_power = 1.0;
  // The similarity divides by (|current| * |neighbour|)^length_norm; 0.5 is
  // the cosine of STAN; a smaller power suited
  // the validation split better.
  double length_norm = 0.25;
};

// Session-kNN in the spirit of V-SKNN and STAN (Garg et al., SIGIR 2019):
// similarity to past sessions weighted by position in the current session,
// recency of the neighbour, and position inside the neighbour. Sessions are
// added in time order. Not thread-safe for AddSession; Score is const and may
// run concurrently with other Score calls (each with its own buffers).
class SessionKnn {
 public:
  explicit SessionKnn(SessionKnnOptions options = {}) : options_(options) {}

  // Appends a finished session (items in click order; repeats allowed).
  void AddSession(std::span<const ItemIndex> session);
  int32_t num_sessions() const { return static_cast<int32_t>(session_start_.size()) - 1; }

  // Adds to `scores` the next-item scores for the current session `prefix`
  // (click order). Items of the prefix may be scored. Grows `scores` as needed.
  void Score(std::span<const ItemIndex> prefix, ScoreBuffer* scores) const;

  const SessionKnnOptions& options() const { return options_; }

 private:
  struct Entry {
    ItemIndex item;
    int32_t position;  // position of the item's last click in the session
  };
  struct Neighbour {
    int32_t session;
    float similarity;
    // Position in the neighbour of its most recent item shared with the
    // current session (while ranking candidates: that item's index).
    int32_t anchor_position;
  };
  std::vector<Neighbour> FindNeighbours(std::span<const ItemIndex> prefix) const;

  SessionKnnOptions options_;
  // Sessions as unique items (CSR): entries_[session_start_[s] .. [s+1]).
  std::vector<Entry> entries_;
  std::vector<int32_t> session_start_{0};
  // Per session: (number of unique items)^length_norm, the neighbour's part
  // of the similarity's length normalisation.
  std::vector<float> session_norm_;
  // item -> sessions containing it, oldest first.
  std::vector<std::vector<int32_t>> postings_;
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_SESSION_KNN_H_
