#include "recommend/business_rules.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"

namespace storepilot::recommend {

bool IsEligible(ItemIndex item, const RuleInputs& in, const ProductLookup& lookup) {
  const Product* p = lookup(item);
  if (p == nullptr || !p->in_stock) return false;
  if (in.hidden.contains(item) || in.exclude.contains(item)) return false;
  if (!in.category.empty() && p->category != in.category) return false;
  const bool cart_placement =
      in.placement == Placement::kCart || in.placement == Placement::kCheckout;
  if (cart_placement && in.cart.contains(item)) return false;
  if (!p->repeatable && in.purchased.contains(item)) return false;
  return true;
}

namespace {

class Selection {
 public:
  Selection(const RuleInputs& in, const ProductLookup& lookup) : in_(in), lookup_(lookup) {}

  bool WithinCaps(ItemIndex item) const {
    const Product* p = lookup_(item);
    if (in_.max_per_brand > 0 && !p->brand.empty() &&
        Count(brands_, p->brand) >= in_.max_per_brand) {
      return false;
    }
    if (in_.max_per_category > 0 && !p->category.empty() &&
        Count(categories_, p->category) >= in_.max_per_category) {
      return false;
    }
    return true;
  }
  double Penalty(ItemIndex item) const {
    const Product* p = lookup_(item);
    if (in_.diversity <= 0 || p->category.empty()) return 1.0;
    return std::pow(1.0 - in_.diversity, Count(categories_, p->category));
  }
  void Take(const Candidate& c) {
    const Product* p = lookup_(c.item);
    ++brands_[p->brand];
    ++categories_[p->category];
    chosen_.insert(c.item);
    out_.push_back(c);
  }
  bool Chosen(ItemIndex item) const { return chosen_.contains(item); }
  std::vector<Candidate>& out() { return out_; }

 private:
  static int Count(const absl::flat_hash_map<std::string, int>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
  }
  const RuleInputs& in_;
  const ProductLookup& lookup_;
  absl::flat_hash_map<std::string, int> brands_, categories_;
  absl::flat_hash_set<ItemIndex> chosen_;
  std::vector<Candidate> out_;
};

}  // namespace

std::vector<Candidate> ApplyBusinessRules(const std::vector<Candidate>& candidates,
                                          const RuleInputs& in, const ProductLookup& lookup,
                                          int n) {
  Selection sel(in, lookup);
  const double top = candidates.empty() ? 1.0 : candidates.front().score;
  for (ItemIndex item : in.pinned) {
    if (static_cast<int>(sel.out().size()) >= n) break;
    if (sel.Chosen(item) || !IsEligible(item, in, lookup) || !sel.WithinCaps(item)) continue;
    sel.Take({item, top, Reason{ReasonType::kPinned, "", ""}});
  }
  // Eligible candidates, best first, one per item. Sorted as indices so a
  // request does not copy every candidate (and its reason strings).
  std::vector<uint32_t> order(candidates.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return candidates[a].score > candidates[b].score;
  });
  std::vector<const Candidate*> pool;
  absl::flat_hash_set<ItemIndex> seen;
  seen.reserve(order.size());
  for (uint32_t i : order) {
    const Candidate& c = candidates[i];
    if (sel.Chosen(c.item) || !seen.insert(c.item).second) continue;
    if (IsEligible(c.item, in, lookup)) pool.push_back(&c);
  }
  // Greedy MMR-style selection: the penalty depends on what was chosen.
  std::vector<bool> used(pool.size(), false);
  while (static_cast<int>(sel.out().size()) < n) {
    int best = -1;
    double best_score = 0;
    for (size_t i = 0; i < pool.size(); ++i) {
      if (used[i]) continue;
      if (!sel.WithinCaps(pool[i]->item)) {
        used[i] = true;
        continue;
      }
      const double s = pool[i]->score * sel.Penalty(pool[i]->item);
      if (best < 0 || s > best_score) {
        best = static_cast<int>(i);
        best_score = s;
      }
      // Scores are sorted: once the raw score cannot beat the best, stop.
      if (best >= 0 && pool[i]->score < best_score) break;
    }
    if (best < 0) break;
    used[best] = true;
    Candidate c = *pool[best];
    c.score = best_score;
    sel.Take(c);
  }
  return std::move(sel.out());
}

}  // namespace storepilot::recommend
