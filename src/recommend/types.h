#ifndef STOREPILOT_RECOMMEND_TYPES_H_
#define STOREPILOT_RECOMMEND_TYPES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storepilot::recommend {

// Shop events the engine learns from (a subset of the ingest schema).
enum class EventType { kView, kAddToCart, kRemoveFromCart, kPurchase };

// Where a request is shown and who makes it; hour and day come from the time.
struct Context {
  std::string country;  // ISO code, may be empty
  std::string device;   // "mobile", "desktop", ... may be empty
};

struct Event {
  EventType type = EventType::kView;
  std::string user_id;     // may be empty (anonymous)
  std::string session_id;  // may be empty for server-side purchases
  std::string product_id;  // required
  int64_t time_ms = 0;     // epoch milliseconds
  Context context;
};

// The part of a catalog product recommendations need.
struct Product {
  std::string id;
  std::string category;
  std::string brand;
  std::vector<std::string> tags;
  std::vector<float> embedding;  // visual/content vector; empty when unknown
  bool in_stock = true;
  bool repeatable = false;  // may be recommended again after a purchase
};

// Merchandising rules of a shop (PUT .../merchandising/rules).
struct MerchandisingRules {
  std::vector<std::string> pinned;  // shown first, in this order, when eligible
  std::vector<std::string> hidden;  // never shown
  int max_per_brand = 0;            // 0 = no cap
  int max_per_category = 0;         // 0 = no cap
};

// A seasonal or campaign period of the shop calendar: products or categories
// in it are boosted while it runs.
struct CalendarEntry {
  std::string name;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::vector<std::string> product_ids;
  std::vector<std::string> categories;
  double boost = 0.5;  // score multiplier is 1 + boost
};

enum class Placement { kHome, kProduct, kCart, kCheckout };

struct RecommendRequest {
  Placement placement = Placement::kHome;
  std::string user_id;
  std::string session_id;
  std::string product_id;  // required for kProduct
  int n = 10;
  std::string category;  // only items of this category when not empty
  Context context;
};

enum class ReasonType {
  kSessionNeighbours,  // shoppers whose sessions look like this one
  kNextForYou,         // sequential model on the user's history
  kViewedTogether,
  kBoughtTogether,
  kSimilarItem,  // content/visual similarity
  kTrending,     // trending in this context
  kPopular,      // fallback
  kPinned,
  kCampaign,
};

struct Reason {
  ReasonType type = ReasonType::kPopular;
  std::string product_id;  // the item that led here, when there is one
  std::string detail;      // e.g. the campaign name or the trending context
};

struct RecommendedItem {
  std::string product_id;
  double score = 0;
  Reason reason;
};

struct RecommendResponse {
  std::string model;  // which model produced the list
  std::vector<RecommendedItem> items;
};

// "viewed_together", "pinned", ... as the API spells them.
std::string_view ReasonTypeName(ReasonType type);
// "home", "product", "cart", "checkout"; ParsePlacement returns false on
// anything else.
std::string_view PlacementName(Placement placement);
bool ParsePlacement(std::string_view text, Placement* placement);
// A human-readable sentence for a reason, e.g. "Viewed together with X".
std::string DescribeReason(const Reason& reason);

}  // namespace storepilot::recommend

#endif  // STOREPILOT_RECOMMEND_TYPES_H_
