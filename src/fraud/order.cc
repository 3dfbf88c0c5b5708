#include "fraud/order.h"

namespace storepilot::fraud {

absl::Status ValidateOrder(const Order& order) {
  if (order.order_id.empty() || order.order_id.size() > 256) {
    return absl::InvalidArgumentError("order_id must have 1 to 256 characters");
  }
  if (!std::isfinite(order.amount) || order.amount < 0) {
    return absl::InvalidArgumentError("amount must be a finite, non-negative number");
  }
  constexpr int64_t kYear2000Ms = 946'684'800'000;
  if (order.time_ms < kYear2000Ms) {
    return absl::InvalidArgumentError("order time must be after 2000-01-01");
  }
  return absl::OkStatus();
}

}  // namespace storepilot::fraud
