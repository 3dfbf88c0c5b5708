#ifndef STOREPILOT_OVERLOAD_PRIORITY_H_
#define STOREPILOT_OVERLOAD_PRIORITY_H_

// Business priority of a request (DAGOR's "business priority"): a class from
// its route, optionally overridden by the X-Storepilot-Priority header, and
// the identity (shop, customer, session) used to rank users within a class.
// Pure functions: no I/O, no clock. Thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace storepilot::overload {

// Ordered from most to least important; the value is the class's rank.
enum class RequestClass : int { kCritical = 0, kHigh = 1, kNormal = 2, kLow = 3 };
inline constexpr int kNumClasses = 4;

// "critical", "high", "normal", "low".
std::string_view ClassName(RequestClass c);
// Parses a class name (case-insensitive, surrounding blanks ignored);
// nullopt when it is not one of the four.
std::optional<RequestClass> ParseClass(std::string_view name);

struct Classification {
  RequestClass cls = RequestClass::kNormal;
  // Never shed nor counted against the limit: webhook acknowledgements
  // (Shopify retries and then disables a webhook that fails), the
  // liveness/readiness probes (a probe shed under load makes Kubernetes kill
  // or unroute a pod that is merely busy, turning overload into an outage)
  // and /metrics (an overload is when its operators need to see it).
  bool exempt = false;
};

// The class of `method` `path` (no query string):
//   exempt:   /webhooks/..., /healthz, /readyz, /metrics (class critical)
//   critical: checkout, payment, orders and order risk
//             (".../orders...", ".../checkout...", ".../payments...",
//             ".../risk..."), POST /v1/admission/decide
//   high:     cart and login (".../cart...", ".../login...",
//             ".../sessions..."), the admin API
//   normal:   search, product pages, recommendations, anything else
//   low:      analytics and bulk work: POST .../events, ":batch" imports,
//             .../stats, .../export...
// `priority_header` (the X-Storepilot-Priority value, may be empty) replaces
// the route's class when it names one; webhooks and probes stay exempt
// whatever it says. Gateways in front of storepilot should strip the header
// from untrusted clients (see docs/overload.md).
Classification Classify(std::string_view method, std::string_view path,
                        std::string_view priority_header);

// Who a request is for, as far as the head of the request tells.
struct Identity {
  std::string shop;         // from /v1/shops/{shop}/..., else ""
  std::string customer_id;  // X-Storepilot-Customer, else ?customer_id= or ?user_id=
  std::string session_id;   // X-Storepilot-Session, else ?session_id=
};

// Extracts the identity from a request target ("path?query") and the two
// headers (either may be empty). Query values are percent-decoded.
Identity ExtractIdentity(std::string_view target, std::string_view customer_header,
                         std::string_view session_header);

}  // namespace storepilot::overload

#endif  // STOREPILOT_OVERLOAD_PRIORITY_H_
