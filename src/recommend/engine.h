#ifndef STOREPILOT_RECOMMEND_ENGINE_H_
#define STOREPILOT_RECOMMEND_ENGINE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "recommend/business_rules.h"
#include "recommend/content_index.h"
#include "recommend/covisitation.h"
#include "recommend/sequence_recommender.h"
#include "recommend/sequential_rules.h"
#include "recommend/session_knn.h"
#include "recommend/trending.h"
#include "recommend/types.h"
#include "recommend/vocabulary.h"

namespace storepilot::recommend {

struct EngineOptions {
  // A session with no event for this long is finished and joins the
  // session-kNN neighbours.
  int64_t session_timeout_ms = 30 * 60 * 1000;
  int64_t covisit_half_life_ms = 14LL * 24 * 3600 * 1000;
  int64_t trending_half_life_ms = 24LL * 3600 * 1000;
  int64_t trending_refresh_ms = 60 * 1000;
  // Views at most this many clicks apart count as viewed together.
  int covisit_window = 5;
  // Most recent session items that drive the session sources.
  int session_items = 10;
  int max_history = 200;  // per user, oldest dropped
  // A retrain once a serving model exists is validated on the newest item of
  // users active since that model was trained; fewer such users than this
  // and the serving model is kept (FailedPrecondition).
  int retrain_min_validation_users = 20;
  int max_n = 100;        // largest list a request may ask for
  double diversity = 0.1;
  // recency_decay applies to finished sessions; a smaller candidate sample
  // than the batch default keeps a request well under a millisecond.
  SessionKnnOptions knn{.sample_size = 300};
  SequentialRulesOptions rules;
  SequenceRecommenderOptions user_model;
};

// Outcome of a background retraining of the sequential user model.
struct RetrainReport {
  int64_t users = 0;
  int64_t validation_users = 0;  // users whose newest item was held out
  double candidate_ndcg = 0;  // NDCG@10 on each user's most recent item
  double serving_ndcg = -1;   // same for the serving model; -1 when none
  bool replaced = false;
};

// The recommendation engine of one shop: learns from its event stream and
// catalog, and answers recommendation requests with a reason per item. Free
// of any wire format; the API layer maps requests and Status codes.
// Thread-safe: every method may be called concurrently. Requests share a
// reader lock (each thread has its own score buffers), so they run in
// parallel with each other and wait only for event/catalog writes; model
// training runs outside the lock.
class RecommendEngine {
 public:
  // `clock` is not owned and must outlive the engine.
  RecommendEngine(const Clock* clock, EngineOptions options = {});

  // Adds or replaces a product. InvalidArgument for an empty id or a bad
  // embedding (the rest of the product is still stored).
  absl::Status UpsertProduct(const Product& product);
  // Takes a product out of every list (it stays known, so events citing it
  // still count). No-op for an unknown id.
  void RemoveProduct(const std::string& product_id);
  // InvalidArgument for negative caps. Unknown pinned/hidden ids are kept (the
  // catalog may catch up) and simply not shown until they exist.
  absl::Status SetMerchandising(const MerchandisingRules& rules);
  // InvalidArgument when an entry ends before it starts or boost <= -1.
  absl::Status SetCalendar(const std::vector<CalendarEntry>& entries);

  // Learns from one event. InvalidArgument for an empty product id or an
  // event with neither a user nor a session.
  absl::Status Observe(const Event& event);
  // Finishes sessions idle for longer than the timeout (Observe does this
  // too); a server calls it on a timer.
  void FlushIdleSessions();

  // Recommendations for a request. InvalidArgument for n outside [1, max_n]
  // or a product placement without product_id; NotFound for a product_id not
  // in the catalog. Never returns an empty list while the catalog has an
  // eligible in-stock product.
  absl::StatusOr<RecommendResponse> Recommend(const RecommendRequest& request);

  // The shopper's most recent products, newest first, at most `max`: the
  // session's items when `session_id` is known, else the user's history.
  // Search personalisation derives brand/category affinities from them.
  std::vector<std::string> RecentProducts(const std::string& user_id,
                                          const std::string& session_id, int max) const;

  // Retrains the sequential model on the users' histories. The candidate is
  // validated on recent held-out events: the newest item of each user (with
  // 3+ items) active since the serving model was trained, which neither model
  // has seen; it replaces the serving model only when its NDCG@10 there is
  // not worse. FailedPrecondition with fewer than 2 such users (no serving
  // model yet) or retrain_min_validation_users (once one serves).
  absl::StatusOr<RetrainReport> RetrainUserModel();

  // Privacy (engine_privacy.cc). ForgetShopper drops everything keyed by the
  // user: their history, cart and purchases, their sessions (those keyed
  // "u:<user_id>", those any of their events cited, and `session_ids`); a
  // later request with that user_id is answered as for an unknown user.
  // Co-visitation, session-kNN neighbours, rules and trending are aggregates
  // that cannot identify them and stay. Returns whether anything was held.
  bool ForgetShopper(const std::string& user_id, const std::vector<std::string>& session_ids);
  // What the engine holds about the user, for a data export: recent items
  // (newest first), purchased and cart items, and the live sessions.
  struct ShopperState {
    std::vector<std::string> recent_items, purchased, cart, sessions;
    bool empty() const { return recent_items.empty() && purchased.empty() && cart.empty() &&
                                sessions.empty(); }
  };
  static constexpr char kSessionByUser[] = "(by user)";
  ShopperState ExportShopper(const std::string& user_id,
                             const std::vector<std::string>& session_ids) const;
  // Forgets every shopper and every model learnt from events (a shop
  // redaction); products, merchandising and the calendar stay.
  void ForgetAllShoppers();

 private:
  struct SessionState {
    std::vector<ItemIndex> items;
    absl::flat_hash_set<ItemIndex> cart;
    absl::flat_hash_set<ItemIndex> purchased;
    int64_t last_ms = 0;
    std::vector<std::string> users;  // the users its events named (privacy)
  };
  struct UserState {
    std::vector<ItemIndex> history;
    int64_t added = 0;       // items ever appended to history
    int64_t model_seen = 0;  // `added` when the serving model was trained
    absl::flat_hash_set<ItemIndex> purchased;
    absl::flat_hash_set<ItemIndex> cart;
  };
  struct UserModel {
    SequenceRecommender model;
    int32_t num_items = 0;
  };
  struct Sources;

  const Product* Lookup(ItemIndex item) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void FlushIdleLocked(int64_t now_ms) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void LearnView(SessionState* s, ItemIndex item, int64_t time_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AddTrending(ItemIndex item, double weight, int64_t time_ms, const Context& context)
      ABSL_LOCKS_EXCLUDED(trending_mu_);
  void LearnPurchase(SessionState* s, UserState* u, ItemIndex item, int64_t time_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Appends the blended candidates, best first, and returns the model name
  // (the sources that contributed).
  std::string CollectCandidates(const RecommendRequest& request, const Sources& sources,
                                int64_t now_ms, std::vector<Candidate>* out)
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void AddFallbacks(const RecommendRequest& request, int64_t now_ms, double floor,
                    std::vector<Candidate>* out) ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void ApplyCalendar(int64_t now_ms, std::vector<Candidate>* candidates)
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Content neighbours of `item`, computed once per catalog version (the
  // HNSW search is the costliest source otherwise).
  std::vector<std::pair<ItemIndex, double>> ContentNeighbours(ItemIndex item, int max) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const Clock* clock_;
  const EngineOptions options_;
  mutable absl::Mutex mu_;
  Vocabulary vocab_ ABSL_GUARDED_BY(mu_);
  std::vector<std::optional<Product>> products_ ABSL_GUARDED_BY(mu_);
  int64_t in_stock_count_ ABSL_GUARDED_BY(mu_) = 0;
  MerchandisingRules merchandising_ ABSL_GUARDED_BY(mu_);
  std::vector<CalendarEntry> calendar_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SessionState> sessions_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<int64_t, std::string>> activity_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, UserState> users_ ABSL_GUARDED_BY(mu_);
  SessionKnn knn_ ABSL_GUARDED_BY(mu_);
  SequentialRules rules_ ABSL_GUARDED_BY(mu_);
  CoVisitation viewed_ ABSL_GUARDED_BY(mu_);
  CoVisitation bought_ ABSL_GUARDED_BY(mu_);
  // Its own lock: requests (under the shared mu_) read its per-context cache,
  // which Top refreshes.
  mutable absl::Mutex trending_mu_ ABSL_ACQUIRED_AFTER(mu_);
  ContextTrending trending_ ABSL_GUARDED_BY(trending_mu_);
  ContentIndex content_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex content_cache_mu_ ABSL_ACQUIRED_AFTER(mu_);
  mutable absl::flat_hash_map<ItemIndex, std::vector<std::pair<ItemIndex, double>>>
      content_cache_ ABSL_GUARDED_BY(content_cache_mu_);
  std::shared_ptr<const UserModel> user_model_ ABSL_GUARDED_BY(mu_);
};

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_ENGINE_H_
