#include "overload/priority.h"

#include <array>
#include <cctype>

namespace storepilot::overload {
namespace {

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Case-insensitive equality with an all-lower-case `lower`.
bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower[i]) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The decoded value of query parameter `name` in `query`, or "".
std::string QueryValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return Decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

}  // namespace

std::string_view ClassName(RequestClass c) {
  static constexpr std::array<std::string_view, kNumClasses> kNames = {"critical", "high",
                                                                       "normal", "low"};
  return kNames[static_cast<int>(c)];
}

std::optional<RequestClass> ParseClass(std::string_view name) {
  name = Trim(name);
  for (int c = 0; c < kNumClasses; ++c) {
    if (EqualsLower(name, ClassName(static_cast<RequestClass>(c)))) {
      return static_cast<RequestClass>(c);
    }
  }
  return std::nullopt;
}

Classification Classify(std::string_view method, std::string_view path,
                        std::string_view priority_header) {
  Classification out;
  if (StartsWith(path, "/webhooks/") || path == "/healthz" || path == "/readyz" ||
      path == "/metrics") {
    out.cls = RequestClass::kCritical;
    out.exempt = true;
    return out;
  }
  if (path == "/v1/admission/decide" || Contains(path, "/orders") ||
      Contains(path, "/checkout") || Contains(path, "/payments") || Contains(path, "/risk")) {
    out.cls = RequestClass::kCritical;
  } else if (Contains(path, "/cart") || Contains(path, "/login") ||
             Contains(path, "/sessions") || StartsWith(path, "/v1/admin/")) {
    out.cls = RequestClass::kHigh;
  } else if ((method == "POST" && EndsWith(path, "/events")) || Contains(path, ":batch") ||
             EndsWith(path, "/stats") || Contains(path, "/export")) {
    out.cls = RequestClass::kLow;
  } else {
    out.cls = RequestClass::kNormal;
  }
  if (auto overridden = ParseClass(priority_header)) out.cls = *overridden;
  return out;
}

Identity ExtractIdentity(std::string_view target, std::string_view customer_header,
                         std::string_view session_header) {
  Identity id;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  constexpr std::string_view kShops = "/v1/shops/";
  if (StartsWith(path, kShops)) {
    std::string_view rest = path.substr(kShops.size());
    id.shop = Decode(rest.substr(0, rest.find('/')));
  }
  id.customer_id = !customer_header.empty() ? std::string(customer_header)
                                            : QueryValue(query, "customer_id");
  if (id.customer_id.empty()) id.customer_id = QueryValue(query, "user_id");
  id.session_id =
      !session_header.empty() ? std::string(session_header) : QueryValue(query, "session_id");
  return id;
}

}  // namespace storepilot::overload
