#include "search/lexicon.h"

#include <algorithm>
#include <deque>

namespace storepilot::search {

struct Lexicon::FuzzyState {
  std::string_view query;
  int max_distance;
  std::string path;
  std::vector<Match> matches;
};

Lexicon::Lexicon() : nodes_(1) {}

uint32_t Lexicon::Child(uint32_t node, char c) const {
  const auto& children = nodes_[node].children;
  auto it = std::lower_bound(
      children.begin(), children.end(), c,
      [](const std::pair<char, uint32_t>& a, char b) { return a.first < b; });
  return it != children.end() && it->first == c ? it->second : 0;
}

void Lexicon::Add(std::string_view word, uint32_t term_id) {
  if (word.empty()) return;
  uint32_t node = 0;
  for (char c : word) {
    uint32_t next = Child(node, c);
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      auto& children = nodes_[node].children;
      auto it = std::lower_bound(
          children.begin(), children.end(), c,
          [](const std::pair<char, uint32_t>& a, char b) { return a.first < b; });
      children.insert(it, {c, next});
    }
    node = next;
  }
  if (nodes_[node].term_id == kNoTerm) {
    nodes_[node].term_id = term_id;
    ++word_count_;
  }
}

std::optional<uint32_t> Lexicon::Find(std::string_view word) const {
  uint32_t node = 0;
  for (char c : word) {
    node = Child(node, c);
    if (node == 0) return std::nullopt;
  }
  if (nodes_[node].term_id == kNoTerm) return std::nullopt;
  return nodes_[node].term_id;
}

// Walks the trie computing one row of the (restricted) Damerau-Levenshtein
// table per node: row[j] is the distance between the node's path and the
// first j bytes of the query. A subtree is pruned once every cell of its row
// exceeds the budget, since distances only grow along a path.
void Lexicon::FuzzyVisit(FuzzyState& state, uint32_t node, char c,
                         const std::vector<int>& grandparent_row,
                         const std::vector<int>& parent_row,
                         char parent_char) const {
  const std::string_view q = state.query;
  const size_t n = q.size();
  std::vector<int> row(n + 1);
  row[0] = parent_row[0] + 1;
  int best = row[0];
  for (size_t j = 1; j <= n; ++j) {
    const int cost = q[j - 1] == c ? 0 : 1;
    row[j] = std::min({row[j - 1] + 1, parent_row[j] + 1,
                       parent_row[j - 1] + cost});
    if (j > 1 && !grandparent_row.empty() && q[j - 1] == parent_char &&
        q[j - 2] == c) {
      row[j] = std::min(row[j], grandparent_row[j - 2] + 1);
    }
    best = std::min(best, row[j]);
  }
  if (best > state.max_distance) return;
  state.path.push_back(c);
  const Node& current = nodes_[node];
  if (current.term_id != kNoTerm && row[n] <= state.max_distance &&
      state.path != q) {
    state.matches.push_back({state.path, current.term_id, row[n]});
  }
  for (const auto& [next_char, next] : current.children) {
    FuzzyVisit(state, next, next_char, parent_row, row, c);
  }
  state.path.pop_back();
}

std::vector<Lexicon::Match> Lexicon::Fuzzy(std::string_view word,
                                           int max_distance,
                                           size_t limit) const {
  FuzzyState state{word, max_distance, {}, {}};
  std::vector<int> root_row(word.size() + 1);
  for (size_t j = 0; j <= word.size(); ++j) root_row[j] = static_cast<int>(j);
  for (const auto& [c, child] : nodes_[0].children) {
    FuzzyVisit(state, child, c, {}, root_row, '\0');
  }
  std::stable_sort(state.matches.begin(), state.matches.end(),
                   [](const Match& a, const Match& b) {
                     return a.distance < b.distance;
                   });
  if (state.matches.size() > limit) state.matches.resize(limit);
  return std::move(state.matches);
}

std::vector<Lexicon::Match> Lexicon::Complete(std::string_view prefix,
                                              size_t limit) const {
  std::vector<Match> matches;
  uint32_t start = 0;
  for (char c : prefix) {
    start = Child(start, c);
    if (start == 0) return matches;
  }
  // Breadth-first, so shorter completions come first.
  std::deque<std::pair<uint32_t, std::string>> queue;
  queue.emplace_back(start, std::string(prefix));
  while (!queue.empty() && matches.size() < limit) {
    auto [node, word] = std::move(queue.front());
    queue.pop_front();
    if (node != start && nodes_[node].term_id != kNoTerm) {
      matches.push_back({word, nodes_[node].term_id, 0});
      if (matches.size() >= limit) break;
    }
    for (const auto& [c, child] : nodes_[node].children) {
      queue.emplace_back(child, word + c);
    }
  }
  return matches;
}

size_t Lexicon::MemoryBytes() const {
  size_t bytes = nodes_.capacity() * sizeof(Node);
  for (const Node& node : nodes_) {
    bytes += node.children.capacity() * sizeof(std::pair<char, uint32_t>);
  }
  return bytes;
}

}  // namespace storepilot::search
