#include "ingest/order.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "common/time_util.h"
#include "ingest/internal/json_text.h"

namespace storepilot::ingest {
namespace {

using json = nlohmann::json;
constexpr size_t kMaxId = 256;
constexpr size_t kMaxLineItems = 1000;

absl::Status Bad(const std::string& field, const std::string& problem) {
  return absl::InvalidArgumentError(field + ": " + problem);
}

bool Present(const json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && !it->is_null();
}

// An id: a non-empty string, or an integer turned into one.
absl::StatusOr<std::string> ReadId(const json& v, const std::string& field) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
      v.get_ref<const std::string&>().size() > kMaxId) {
    return Bad(field, "must be a non-empty string of at most 256 bytes, or an integer");
  }
  return v.get<std::string>();
}

// Money and counts: a finite number, or a numeric string as Shopify sends.
absl::StatusOr<double> ReadNumber(const json& v, const std::string& field) {
  double d = 0;
  if (v.is_number()) {
    d = v.get<double>();
  } else if (!v.is_string() || !absl::SimpleAtod(v.get_ref<const std::string&>(), &d)) {
    return Bad(field, "must be a number");
  }
  if (!std::isfinite(d)) return Bad(field, "must be finite");
  return d;
}

absl::StatusOr<std::string> ReadTime(const json& v, const std::string& field) {
  if (v.is_number_integer()) return FormatRfc3339Millis(v.get<int64_t>());
  if (v.is_string()) {
    auto ms = ParseRfc3339Millis(v.get<std::string>());
    if (ms.ok()) return FormatRfc3339Millis(*ms);
  }
  return Bad(field, "must be RFC 3339 or epoch milliseconds");
}

// Copies string (or number, as text) fields that are present.
void CopyStrings(const json& in, json& out, std::initializer_list<const char*> fields) {
  for (const char* f : fields) {
    auto it = in.find(f);
    if (it == in.end() || it->is_null()) continue;
    if (it->is_string()) {
      out[f] = it->get<std::string>().substr(0, 4096);
    } else if (it->is_number_integer()) {
      out[f] = std::to_string(it->get<int64_t>());
    }
  }
}

absl::Status CopyNumbers(const json& in, json& out, std::initializer_list<const char*> fields,
                         const std::string& where) {
  for (const char* f : fields) {
    if (!Present(in, f)) continue;
    auto n = ReadNumber(in[f], where + f);
    if (!n.ok()) return n.status();
    out[f] = *n;
  }
  return absl::OkStatus();
}

absl::StatusOr<json> Address(const json& in, const std::string& field) {
  if (!in.is_object()) return Bad(field, "must be an object");
  json out = json::object();
  CopyStrings(in, out, {"country_code", "province_code", "city", "zip", "address1"});
  if (auto s = CopyNumbers(in, out, {"latitude", "longitude"}, field + "."); !s.ok()) return s;
  return out;
}

absl::StatusOr<json> LineItems(const json& in) {
  if (!in.is_array() || in.size() > kMaxLineItems) {
    return Bad("line_items", "must be an array of at most 1000 items");
  }
  json out = json::array();
  for (size_t i = 0; i < in.size(); ++i) {
    const json& li = in[i];
    const std::string where = "line_items[" + std::to_string(i) + "].";
    if (!li.is_object()) return Bad(where, "must be an object");
    json item = json::object();
    for (const char* f : {"id", "product_id", "variant_id"}) {
      if (!Present(li, f)) continue;
      auto id = ReadId(li[f], where + f);
      if (!id.ok()) return id.status();
      item[f] = *id;
    }
    CopyStrings(li, item, {"title", "sku"});
    item["quantity"] = 1;
    if (Present(li, "quantity")) {
      if (!li["quantity"].is_number_integer() || li["quantity"].get<int64_t>() < 0) {
        return Bad(where + "quantity", "must be a non-negative integer");
      }
      item["quantity"] = li["quantity"].get<int64_t>();
    }
    item["price"] = 0.0;
    if (auto s = CopyNumbers(li, item, {"price"}, where); !s.ok()) return s;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

absl::StatusOr<json> CanonicalOrder(const json& in, std::string_view shop,
                                    const PiiHasher& hasher) {
  if (!in.is_object()) return Bad("body", "an order must be a JSON object");
  json out = json::object();
  if (!Present(in, "id")) return Bad("id", "required");
  auto id = ReadId(in["id"], "id");
  if (!id.ok()) return id.status();
  out["id"] = *id;
  if (!Present(in, "created_at")) return Bad("created_at", "required");
  for (const char* f : {"created_at", "updated_at", "cancelled_at"}) {
    if (!Present(in, f)) continue;
    auto t = ReadTime(in[f], f);
    if (!t.ok()) return t.status();
    out[f] = *t;
  }
  if (!Present(in, "total_price")) return Bad("total_price", "required");
  if (auto s = CopyNumbers(in, out,
                           {"total_price", "subtotal_price", "total_discounts",
                            "refunded_amount", "customer_orders_count"},
                           "");
      !s.ok()) {
    return s;
  }
  CopyStrings(in, out,
              {"customer_id", "currency", "financial_status", "ip_country", "cart_token",
               "checkout_token", "session_id"});
  // Shopify nests the customer.
  if (Present(in, "customer") && in["customer"].is_object()) {
    const json& c = in["customer"];
    if (!out.contains("customer_id") && Present(c, "id")) {
      auto cid = ReadId(c["id"], "customer.id");
      if (!cid.ok()) return cid.status();
      out["customer_id"] = *cid;
    }
    if (!out.contains("customer_orders_count") && Present(c, "orders_count") &&
        c["orders_count"].is_number()) {
      out["customer_orders_count"] = c["orders_count"].get<double>();
    }
  }
  std::string email;
  for (const json* src : {&in, in.contains("customer") ? &in["customer"] : nullptr}) {
    if (email.empty() && src && src->is_object() && Present(*src, "email") &&
        (*src)["email"].is_string()) {
      email = (*src)["email"].get<std::string>();
    }
  }
  if (!email.empty()) {
    size_t at = email.rfind('@');
    std::string domain = at == std::string::npos ? "" : email.substr(at + 1);
    for (char& ch : domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out["email"] = hasher.HashEmail(shop, email) + "@" + domain;
  }
  std::string ip;
  if (Present(in, "browser_ip") && in["browser_ip"].is_string()) {
    ip = in["browser_ip"].get<std::string>();
  }
  if (Present(in, "client_details") && in["client_details"].is_object()) {
    const json& cd = in["client_details"];
    json details = json::object();
    CopyStrings(cd, details, {"user_agent", "accept_language", "device_id"});
    out["client_details"] = std::move(details);
    if (ip.empty() && Present(cd, "browser_ip") && cd["browser_ip"].is_string()) {
      ip = cd["browser_ip"].get<std::string>();
    }
  }
  if (!ip.empty()) out["browser_ip"] = hasher.Hash(shop, ip);
  out["line_items"] = json::array();
  if (Present(in, "line_items")) {
    auto items = LineItems(in["line_items"]);
    if (!items.ok()) return items.status();
    out["line_items"] = std::move(*items);
  }
  for (const char* f : {"billing_address", "shipping_address"}) {
    if (!Present(in, f)) continue;
    auto a = Address(in[f], f);
    if (!a.ok()) return a.status();
    out[f] = std::move(*a);
  }
  if (Present(in, "discount_codes")) {
    if (!in["discount_codes"].is_array()) return Bad("discount_codes", "must be an array");
    json codes = json::array();
    for (const json& d : in["discount_codes"]) {
      if (!d.is_object()) return Bad("discount_codes", "must contain objects");
      json code = json::object();
      CopyStrings(d, code, {"code"});
      if (auto s = CopyNumbers(d, code, {"amount"}, "discount_codes."); !s.ok()) return s;
      codes.push_back(std::move(code));
    }
    out["discount_codes"] = std::move(codes);
  }
  if (Present(in, "payment") && in["payment"].is_object()) {
    json payment = json::object();
    CopyStrings(in["payment"], payment, {"card_fingerprint"});
    if (Present(in["payment"], "attempts") && in["payment"]["attempts"].is_number_integer()) {
      payment["attempts"] = in["payment"]["attempts"].get<int64_t>();
    }
    out["payment"] = std::move(payment);
  }
  if (Present(in, "refund_ids") && in["refund_ids"].is_array()) out["refund_ids"] = in["refund_ids"];
  return out;
}

int64_t OrderVersionMillis(const json& order) {
  for (const char* f : {"updated_at", "created_at"}) {
    auto it = order.find(f);
    if (it == order.end() || !it->is_string()) continue;
    auto ms = ParseRfc3339Millis(it->get<std::string>());
    if (ms.ok()) return *ms;
  }
  return 0;
}

bool OrderStore::Upsert(std::string_view shop, const json& order, bool* created) {
  const std::string id = order.value("id", "");
  if (id.empty()) return false;
  const int64_t version = OrderVersionMillis(order);
  {
    std::lock_guard<std::mutex> lock(mu_);
    Orders& orders = shops_[std::string(shop)];
    auto [it, inserted] = orders.try_emplace(id);
    if (!inserted && it->second.version_ms > version) return false;
    if (created) *created = inserted;
    it->second.version_ms = version;
    it->second.json = CompactJson(order);
  }
  for (const Listener& l : listeners_) l(shop, order);
  return true;
}

std::optional<json> OrderStore::Get(std::string_view shop, std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(std::string(shop));
  if (s == shops_.end()) return std::nullopt;
  auto it = s->second.find(std::string(id));
  if (it == s->second.end()) return std::nullopt;
  return json::parse(it->second.json);
}

size_t OrderStore::Count(std::string_view shop) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(std::string(shop));
  return s == shops_.end() ? 0 : s->second.size();
}

bool OrderStore::Matches(const json& order, std::string_view customer_id,
                         std::string_view email_hash, const std::vector<std::string>& ids) {
  if (!customer_id.empty() && order.value("customer_id", "") == customer_id) return true;
  if (!email_hash.empty()) {
    const std::string email = order.value("email", "");
    if (email.substr(0, email.find('@')) == email_hash) return true;
  }
  const std::string id = order.value("id", "");
  for (const std::string& want : ids) {
    if (want == id) return true;
  }
  return false;
}

std::vector<json> OrderStore::Find(std::string_view shop, std::string_view customer_id,
                                   std::string_view email_hash,
                                   const std::vector<std::string>& ids) const {
  std::vector<json> out;
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(std::string(shop));
  if (s == shops_.end()) return out;
  for (const auto& [id, stored] : s->second) {
    json order = json::parse(stored.json);
    if (Matches(order, customer_id, email_hash, ids)) out.push_back(std::move(order));
  }
  return out;
}

std::vector<std::string> OrderStore::Erase(std::string_view shop, std::string_view customer_id,
                                           std::string_view email_hash,
                                           const std::vector<std::string>& ids) {
  std::vector<std::string> removed;
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(std::string(shop));
  if (s == shops_.end()) return removed;
  for (auto it = s->second.begin(); it != s->second.end();) {
    if (Matches(json::parse(it->second.json), customer_id, email_hash, ids)) {
      removed.push_back(it->first);
      it = s->second.erase(it);
    } else {
      ++it;
    }
  }
  return removed;
}

void OrderStore::EraseShop(std::string_view shop) {
  std::lock_guard<std::mutex> lock(mu_);
  shops_.erase(std::string(shop));
}

}  // namespace storepilot::ingest
