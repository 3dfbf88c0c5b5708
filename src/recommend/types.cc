#include "recommend/types.h"

#include "absl/strings/str_cat.h"

namespace storepilot::recommend {

std::string_view ReasonTypeName(ReasonType type) {
  switch (type) {
    case ReasonType::kSessionNeighbours: return "session_neighbours";
    case ReasonType::kNextForYou: return "next_for_you";
    case ReasonType::kViewedTogether: return "viewed_together";
    case ReasonType::kBoughtTogether: return "bought_together";
    case ReasonType::kSimilarItem: return "similar_item";
    case ReasonType::kTrending: return "trending";
    case ReasonType::kPopular: return "popular";
    case ReasonType::kPinned: return "pinned";
    case ReasonType::kCampaign: return "campaign";
  }
  return "unknown";
}

std::string_view PlacementName(Placement placement) {
  switch (placement) {
    case Placement::kHome: return "home";
    case Placement::kProduct: return "product";
    case Placement::kCart: return "cart";
    case Placement::kCheckout: return "checkout";
  }
  return "unknown";
}

bool ParsePlacement(std::string_view text, Placement* placement) {
  for (Placement p : {Placement::kHome, Placement::kProduct, Placement::kCart,
                      Placement::kCheckout}) {
    if (text == PlacementName(p)) {
      *placement = p;
      return true;
    }
  }
  return false;
}

std::string DescribeReason(const Reason& reason) {
  const std::string& id = reason.product_id;
  switch (reason.type) {
    case ReasonType::kSessionNeighbours:
      return "Shoppers browsing like you also viewed this";
    case ReasonType::kNextForYou: return "Picked for you from your history";
    case ReasonType::kViewedTogether: return absl::StrCat("Often viewed with ", id);
    case ReasonType::kBoughtTogether: return absl::StrCat("Often bought with ", id);
    case ReasonType::kSimilarItem: return absl::StrCat("Similar to ", id);
    case ReasonType::kTrending: return absl::StrCat("Trending ", reason.detail);
    case ReasonType::kPopular: return "Popular in this shop";
    case ReasonType::kPinned: return "Recommended by the shop";
    case ReasonType::kCampaign: return absl::StrCat("Part of ", reason.detail);
  }
  return "";
}

}  // namespace storepilot::recommend
