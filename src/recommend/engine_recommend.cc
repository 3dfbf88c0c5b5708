// RecommendEngine::Recommend: candidate sources, blend, calendar boosts,
// business rules and fallbacks.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "recommend/engine.h"

namespace storepilot::recommend {
namespace {

// Candidates each source contributes before the rules.
constexpr int kPerSource = 100;
// Content neighbours asked of the HNSW index (enough for any page).
constexpr int kContentCandidates = 30;
// How many recent items anchor the item-to-item sources.
constexpr int kAnchors = 3;

// Source weights per placement (sources are max-normalised first). The
// product page leans on the viewed product, the cart on complements.
struct Weights {
  double session, user, viewed, bought, content, trending;
};
Weights WeightsFor(Placement p) {
  switch (p) {
    case Placement::kHome: return {1.0, 1.0, 0.6, 0.3, 0.3, 0.2};
    case Placement::kProduct: return {0.6, 0.4, 1.0, 0.5, 0.7, 0.1};
    case Placement::kCart:
    case Placement::kCheckout: return {0.5, 0.5, 0.4, 1.0, 0.2, 0.1};
  }
  return {1, 1, 1, 1, 1, 1};
}

struct Scored {
  ItemIndex item;
  double score;
  ItemIndex because;  // anchor item, or kNoItem
};

// Sums max-normalised source scores; the reason of an item is the source
// that contributed most to it.
class Blender {
 public:
  void Add(const std::vector<Scored>& source, double weight, ReasonType type,
           const std::string& name) {
    double max = 0;
    for (const Scored& s : source) max = std::max(max, s.score);
    if (max <= 0 || weight <= 0) return;
    used_.push_back(name);
    for (const Scored& s : source) {
      const double c = weight * s.score / max;
      Entry& e = entries_[s.item];
      e.total += c;
      if (c > e.best) {
        e.best = c;
        e.type = type;
        e.because = s.because;
      }
    }
  }
  struct Entry {
    double total = 0, best = 0;
    ReasonType type = ReasonType::kPopular;
    ItemIndex because = kNoItem;
  };
  const absl::flat_hash_map<ItemIndex, Entry>& entries() const { return entries_; }
  const std::vector<std::string>& used() const { return used_; }

 private:
  absl::flat_hash_map<ItemIndex, Entry> entries_;
  std::vector<std::string> used_;
};

std::vector<Scored> FromBuffer(const ScoreBuffer& buffer, ItemIndex because) {
  std::vector<Scored> out;
  for (ItemIndex i : buffer.TopK(kPerSource)) out.push_back({i, buffer.Get(i), because});
  return out;
}

// Items of `anchors`' neighbour lists, the most recent anchor weighing most.
template <typename NeighboursFn>
std::vector<Scored> FromAnchors(const std::vector<ItemIndex>& anchors, NeighboursFn fn) {
  std::vector<Scored> out;
  double weight = 1.0;
  for (ItemIndex a : anchors) {
    for (const auto& [item, s] : fn(a)) out.push_back({item, weight * s, a});
    weight *= 0.7;  // older anchors count less
  }
  return out;
}

}  // namespace

struct RecommendEngine::Sources {
  std::vector<ItemIndex> session_items;
  std::vector<ItemIndex> history;
  std::vector<ItemIndex> anchors;  // most recent first
  std::vector<ItemIndex> cart;
};

absl::StatusOr<RecommendResponse> RecommendEngine::Recommend(const RecommendRequest& request) {
  if (request.n < 1 || request.n > options_.max_n) {
    return absl::InvalidArgumentError(absl::StrCat("n must be in [1, ", options_.max_n, "]"));
  }
  if (request.placement == Placement::kProduct && request.product_id.empty()) {
    return absl::InvalidArgumentError("the product placement needs product_id");
  }
  absl::ReaderMutexLock lock(&mu_);
  const int64_t now = clock_->NowMillis();
  ItemIndex anchor = kNoItem;
  if (!request.product_id.empty()) {
    anchor = vocab_.Find(request.product_id);
    if (Lookup(anchor) == nullptr) {
      return absl::NotFoundError(absl::StrCat("unknown product ", request.product_id));
    }
  }
  Sources src;
  RuleInputs in;
  in.placement = request.placement;
  in.category = request.category;
  in.diversity = options_.diversity;
  in.max_per_brand = merchandising_.max_per_brand;
  in.max_per_category = merchandising_.max_per_category;
  const SessionState* session = nullptr;
  if (!request.session_id.empty()) {
    auto it = sessions_.find(absl::StrCat("s:", request.session_id));
    if (it != sessions_.end()) session = &it->second;
  } else if (!request.user_id.empty()) {
    auto it = sessions_.find(absl::StrCat("u:", request.user_id));
    if (it != sessions_.end()) session = &it->second;
  }
  if (session != nullptr) {
    const auto& items = session->items;
    const size_t from = items.size() > static_cast<size_t>(options_.session_items)
                            ? items.size() - options_.session_items
                            : 0;
    src.session_items.assign(items.begin() + from, items.end());
    in.cart.insert(session->cart.begin(), session->cart.end());
    in.purchased.insert(session->purchased.begin(), session->purchased.end());
  }
  if (!request.user_id.empty()) {
    auto it = users_.find(request.user_id);
    if (it != users_.end()) {
      src.history = it->second.history;
      in.cart.insert(it->second.cart.begin(), it->second.cart.end());
      in.purchased.insert(it->second.purchased.begin(), it->second.purchased.end());
    }
  }
  if (anchor != kNoItem) {
    src.anchors.push_back(anchor);
    in.exclude.insert(anchor);
  }
  const std::vector<ItemIndex>& recent = src.session_items.empty() ? src.history : src.session_items;
  for (auto it = recent.rbegin(); it != recent.rend() && src.anchors.size() < kAnchors; ++it) {
    if (*it != anchor) src.anchors.push_back(*it);
  }
  src.cart.assign(in.cart.begin(), in.cart.end());
  std::sort(src.cart.begin(), src.cart.end());
  for (const std::string& id : merchandising_.pinned) {
    if (ItemIndex i = vocab_.Find(id); i != kNoItem) in.pinned.push_back(i);
  }
  for (const std::string& id : merchandising_.hidden) {
    if (ItemIndex i = vocab_.Find(id); i != kNoItem) in.hidden.insert(i);
  }

  std::vector<Candidate> candidates;
  const std::string model = CollectCandidates(request, src, now, &candidates);
  double floor = 1.0;
  for (const Candidate& c : candidates) floor = std::min(floor, c.score);
  AddFallbacks(request, now, floor, &candidates);
  ApplyCalendar(now, &candidates);
  auto lookup = [this](ItemIndex i) ABSL_NO_THREAD_SAFETY_ANALYSIS { return Lookup(i); };
  std::vector<Candidate> chosen = ApplyBusinessRules(candidates, in, lookup, request.n);
  if (static_cast<int>(chosen.size()) < request.n && in_stock_count_ > 0) {
    // Last resort so that a list is never empty: any eligible catalog item.
    const double tiny = 1e-6 * floor;
    for (ItemIndex i = 0; i < static_cast<ItemIndex>(products_.size()); ++i) {
      if (IsEligible(i, in, lookup)) candidates.push_back({i, tiny, {ReasonType::kPopular, "", ""}});
      if (candidates.size() > static_cast<size_t>(request.n) * 4 + chosen.size() + 64) break;
    }
    chosen = ApplyBusinessRules(candidates, in, lookup, request.n);
  }
  RecommendResponse response;
  response.model = model;
  for (const Candidate& c : chosen) {
    RecommendedItem item{vocab_.Name(c.item), c.score, c.reason};
    if (c.because != kNoItem && item.reason.product_id.empty()) {
      item.reason.product_id = vocab_.Name(c.because);
    }
    response.items.push_back(std::move(item));
  }
  return response;
}

std::string RecommendEngine::CollectCandidates(const RecommendRequest& request,
                                               const Sources& src, int64_t now_ms,
                                               std::vector<Candidate>* out) {
  const Weights w = WeightsFor(request.placement);
  Blender blend;
  if (!src.session_items.empty()) {
    // Per thread, so concurrent requests share nothing mutable; reused so a
    // request does not allocate and zero catalog-sized buffers.
    thread_local ScoreBuffer knn, rules, both;
    for (ScoreBuffer* b : {&knn, &rules, &both}) {
      b->Clear();
      b->Resize(vocab_.size());
    }
    knn_.Score(src.session_items, &knn);
    rules_.Score(src.session_items, &rules);
    both.AddNormalized(knn, 1.0f);
    both.AddNormalized(rules, 0.3f);
    blend.Add(FromBuffer(both, kNoItem), w.session, ReasonType::kSessionNeighbours, "session_knn");
  }
  std::shared_ptr<const UserModel> model = user_model_;
  if (model && !src.history.empty()) {
    SequenceScratch scratch;
    std::vector<ItemIndex> ranked = model->model.Recommend(src.history, kPerSource, &scratch);
    std::vector<Scored> scored;
    for (size_t r = 0; r < ranked.size(); ++r) {
      scored.push_back({ranked[r], 1.0 / (1.0 + r), kNoItem});
    }
    blend.Add(scored, w.user, ReasonType::kNextForYou, "sequential");
  }
  blend.Add(FromAnchors(src.anchors,
                        [&](ItemIndex a) { return viewed_.Neighbours(a, now_ms, kPerSource); }),
            w.viewed, ReasonType::kViewedTogether, "viewed_together");
  const std::vector<ItemIndex>& bought_anchors = src.cart.empty() ? src.anchors : src.cart;
  blend.Add(FromAnchors(bought_anchors,
                        [&](ItemIndex a) { return bought_.Neighbours(a, now_ms, kPerSource); }),
            w.bought, ReasonType::kBoughtTogether, "bought_together");
  if (!src.anchors.empty()) {
    blend.Add(FromAnchors({src.anchors.front()},
                          [&](ItemIndex a) { return ContentNeighbours(a, kContentCandidates); }),
              w.content, ReasonType::kSimilarItem, "content");
  }
  std::vector<Scored> trend;
  absl::flat_hash_map<ItemIndex, std::string> trend_context;
  std::vector<TrendingItem> top;
  {
    absl::MutexLock trending_lock(&trending_mu_);
    top = trending_.Top(request.context, now_ms, kPerSource);
  }
  for (const TrendingItem& t : top) {
    trend.push_back({t.item, t.score, kNoItem});
    trend_context[t.item] = t.context;
  }
  blend.Add(trend, w.trending, ReasonType::kTrending, "trending");
  out->reserve(blend.entries().size() + 2 * kPerSource);
  for (const auto& [item, e] : blend.entries()) {
    Reason reason{e.type, "", ""};
    if (e.type == ReasonType::kTrending) reason.detail = trend_context[item];
    out->push_back({item, e.total, std::move(reason), e.because});
  }
  std::sort(out->begin(), out->end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.item < b.item;
  });
  if (blend.used().empty()) return "fallback";
  return absl::StrCat("blend(", absl::StrJoin(blend.used(), ","), ")");
}

void RecommendEngine::AddFallbacks(const RecommendRequest& request, int64_t now_ms,
                                   double floor, std::vector<Candidate>* out) {
  // Global trending below every personalised candidate, in its own order.
  std::vector<TrendingItem> top;
  {
    absl::MutexLock trending_lock(&trending_mu_);
    top = trending_.Top(Context{}, now_ms, 2 * kPerSource);
  }
  for (size_t r = 0; r < top.size(); ++r) {
    out->push_back({top[r].item, floor * 0.5 / (1.0 + r), {ReasonType::kPopular, "", ""}});
  }
}

std::vector<std::pair<ItemIndex, double>> RecommendEngine::ContentNeighbours(ItemIndex item,
                                                                            int max) const {
  {
    absl::MutexLock cache_lock(&content_cache_mu_);
    auto it = content_cache_.find(item);
    // Requests always ask for kContentCandidates, so a shorter cached list
    // is all there is.
    if (it != content_cache_.end()) {
      const size_t n = std::min(it->second.size(), static_cast<size_t>(max));
      return {it->second.begin(), it->second.begin() + n};
    }
  }
  // Computed outside the cache lock: concurrent requests may both compute
  // the same list, which is harmless.
  std::vector<std::pair<ItemIndex, double>> similar = content_.Similar(item, max);
  absl::MutexLock cache_lock(&content_cache_mu_);
  content_cache_[item] = similar;
  return similar;
}

void RecommendEngine::ApplyCalendar(int64_t now_ms, std::vector<Candidate>* candidates) {
  for (const CalendarEntry& e : calendar_) {
    if (now_ms < e.start_ms || now_ms >= e.end_ms) continue;
    absl::flat_hash_set<ItemIndex> listed;
    for (const std::string& id : e.product_ids) {
      if (ItemIndex i = vocab_.Find(id); i != kNoItem) listed.insert(i);
    }
    absl::flat_hash_set<std::string> categories(e.categories.begin(), e.categories.end());
    auto in_campaign = [&](ItemIndex i) {
      const Product* p = Lookup(i);
      return listed.contains(i) || (p != nullptr && categories.contains(p->category));
    };
    absl::flat_hash_set<ItemIndex> present;
    double min_score = 1.0;
    for (Candidate& c : *candidates) {
      present.insert(c.item);
      min_score = std::min(min_score, c.score);
      if (!in_campaign(c.item)) continue;
      c.score *= 1.0 + e.boost;
      if (c.reason.type == ReasonType::kPopular || c.reason.type == ReasonType::kTrending) {
        c.reason = {ReasonType::kCampaign, "", e.name};
        c.because = kNoItem;
      }
    }
    // Listed campaign products are candidates even for a cold shopper.
    for (ItemIndex i : listed) {
      if (!present.contains(i)) {
        candidates->push_back({i, min_score * (1.0 + e.boost), {ReasonType::kCampaign, "", e.name}});
      }
    }
  }
}

}  // namespace storepilot::recommend
