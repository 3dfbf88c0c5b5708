#ifndef STOREPILOT_RECOMMEND_BUSINESS_RULES_H_
#define STOREPILOT_RECOMMEND_BUSINESS_RULES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "recommend/types.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

struct Candidate {
  ItemIndex item = kNoItem;
  double score = 0;
  Reason reason;
  // The anchor item behind the reason when reason.product_id is not filled
  // in yet: the engine names it only for the items it returns.
  ItemIndex because = kNoItem;
};

// What the rules need to know about one request.
struct RuleInputs {
  Placement placement = Placement::kHome;
  std::string category;                         // filter; empty = any
  absl::flat_hash_set<ItemIndex> purchased;     // by this user/session
  absl::flat_hash_set<ItemIndex> cart;          // current cart
  absl::flat_hash_set<ItemIndex> exclude;       // e.g. the product being viewed
  std::vector<ItemIndex> pinned;                // merchandising, in order
  absl::flat_hash_set<ItemIndex> hidden;        // merchandising
  int max_per_brand = 0;                        // 0 = no cap
  int max_per_category = 0;                     // 0 = no cap
  // MMR-style redundancy penalty in [0, 1): each already chosen item of the
  // same category multiplies a candidate's score by (1 - diversity).
  double diversity = 0.0;
};

// Returns the product for an item, or nullptr when it is not in the catalog.
using ProductLookup = std::function<const Product*(ItemIndex)>;

// True when `item` may be shown for this request: in the catalog, in stock,
// not hidden, in the requested category, not excluded, not in the cart on the
// cart and checkout placements, and not already purchased unless the
// product is repeatable.
bool IsEligible(ItemIndex item, const RuleInputs& in, const ProductLookup& lookup);

// The final list of at most `n` items: eligible pinned products first (reason
// kPinned), then eligible candidates greedily by score with the diversity
// penalty, respecting the per-brand and per-category caps (pinned items count
// towards them). Each item appears once. Candidates may hold duplicates; the
// first (best) is used.
std::vector<Candidate> ApplyBusinessRules(const std::vector<Candidate>& candidates,
                                          const RuleInputs& in, const ProductLookup& lookup,
                                          int n);

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_BUSINESS_RULES_H_
