#include "ingest/internal/shopify_order_decoder.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <string>

#include "absl/strings/numbers.h"
#include "common/time_util.h"
#include "ingest/internal/shopify_json.h"
#include "ingest/order.h"
#include "simdjson.h"

namespace storepilot::ingest {

using json = nlohmann::json;

absl::StatusOr<json> CanonicalShopifyOrder(const json& body, std::string_view topic,
                                           std::string_view triggered_at, std::string_view shop,
                                           const PiiHasher& hasher) {
  json in = body;
  // Shopify's order carries its refunds; storepilot keeps their total.
  if (!in.contains("refunded_amount") && in.contains("refunds") && in["refunds"].is_array()) {
    double refunded = 0;
    json ids = json::array();
    for (const json& r : in["refunds"]) {
      refunded += RefundAmount(r);
      if (r.contains("id")) ids.push_back(IdString(r["id"]));
    }
    in["refunded_amount"] = refunded;
    in["refund_ids"] = std::move(ids);
  }
  if (topic == "orders/cancelled" && !in.contains("cancelled_at") && !triggered_at.empty()) {
    in["cancelled_at"] = triggered_at;
  }
  return CanonicalOrder(in, shop, hasher);
}

namespace {

namespace dom = simdjson::dom;
using simdjson::SUCCESS;

// Every reader below mirrors its namesake in ingest/order.cc for the inputs
// it accepts and returns false for anything else: the caller then falls back
// to the reference path, so "false" never has to say which error it was.
// Where nlohmann and simdjson type a number differently ("-0" is an integer
// to one and a float to the other) the reader falls back too.

// The fields of `obj` named in `names`, the last occurrence winning as in
// nlohmann's std::map. `seen` says the key is there (even null), `vals` holds
// its value.
template <size_t N>
struct Fields {
  std::array<dom::element, N> vals{};
  std::array<bool, N> seen{};

  Fields(dom::object obj, const std::array<std::string_view, N>& names) {
    for (dom::key_value_pair field : obj) {
      for (size_t i = 0; i < N; ++i) {
        if (field.key == names[i]) {
          vals[i] = field.value;
          seen[i] = true;
          break;
        }
      }
    }
  }
  // Present in order.cc's sense: there and not null.
  bool Present(size_t i) const { return seen[i] && !vals[i].is_null(); }
};

// nlohmann's get<int64_t>() of an integer it parsed (unsigned ones cast).
bool Integer(dom::element v, int64_t* out) {
  switch (v.type()) {
    case dom::element_type::INT64:
      *out = int64_t(v);
      return true;
    case dom::element_type::UINT64:
      *out = static_cast<int64_t>(uint64_t(v));
      return true;
    default:
      return false;
  }
}

// ReadId.
bool ReadId(dom::element v, std::string* out) {
  int64_t i = 0;
  if (Integer(v, &i)) {
    *out = std::to_string(i);
    return true;
  }
  std::string_view s;
  if (v.get_string().get(s) != SUCCESS || s.empty() || s.size() > 256) return false;
  out->assign(s);
  return true;
}

// ReadNumber: the value of a number or numeric string, finite.
bool ReadNumber(dom::element v, double* out) {
  double d = 0;
  switch (v.type()) {
    case dom::element_type::INT64:
      d = static_cast<double>(int64_t(v));
      break;
    case dom::element_type::UINT64:
      d = static_cast<double>(uint64_t(v));
      break;
    case dom::element_type::DOUBLE:
      d = double(v);
      if (d == 0 && std::signbit(d)) return false;  // nlohmann: integer 0
      break;
    case dom::element_type::STRING: {
      const std::string_view text(v);
      if (!absl::SimpleAtod(absl::string_view(text.data(), text.size()), &d)) return false;
      break;
    }
    default:
      return false;
  }
  if (!std::isfinite(d)) return false;
  *out = d;
  return true;
}

// The string `v` holds; "" for any other type.
std::string_view StringOr(dom::element v) {
  std::string_view s;
  return v.get_string().get(s) == SUCCESS ? s : std::string_view();
}

// ReadTime.
bool ReadTime(dom::element v, std::string* out) {
  int64_t ms = 0;
  if (Integer(v, &ms)) {
    *out = FormatRfc3339Millis(ms);
    return true;
  }
  std::string_view s;
  if (v.get_string().get(s) != SUCCESS) return false;
  auto parsed = ParseRfc3339Millis(s);
  if (!parsed.ok()) return false;
  *out = FormatRfc3339Millis(*parsed);
  return true;
}

// CopyStrings for one field: strings (cut at 4096 bytes) and integers (as
// text) are copied, other types skipped.
bool CopyString(dom::element v, const char* name, json& out) {
  switch (v.type()) {
    case dom::element_type::STRING: {
      std::string_view s(v);
      out[name] = std::string(s.substr(0, 4096));
      return true;
    }
    case dom::element_type::INT64:
    case dom::element_type::UINT64: {
      int64_t i = 0;
      Integer(v, &i);
      out[name] = std::to_string(i);
      return true;
    }
    case dom::element_type::DOUBLE:
      return false;  // "-0" would be an integer to nlohmann
    default:
      return true;  // null, bool, array, object: skipped
  }
}

template <size_t N>
bool CopyStrings(const Fields<N>& f, const std::array<std::string_view, N>& names,
                 std::initializer_list<size_t> which, json& out) {
  for (size_t i : which) {
    if (f.Present(i) && !CopyString(f.vals[i], names[i].data(), out)) return false;
  }
  return true;
}

template <size_t N>
bool CopyNumbers(const Fields<N>& f, const std::array<std::string_view, N>& names,
                 std::initializer_list<size_t> which, json& out) {
  for (size_t i : which) {
    if (!f.Present(i)) continue;
    double d = 0;
    if (!ReadNumber(f.vals[i], &d)) return false;
    out[names[i].data()] = d;
  }
  return true;
}

// Field tables. The names are string literals, so .data() is NUL-terminated.
enum Top : size_t {
  kId, kCreatedAt, kUpdatedAt, kCancelledAt, kTotalPrice, kSubtotalPrice, kTotalDiscounts,
  kRefundedAmount, kCustomerOrdersCount, kCustomerId, kCurrency, kFinancialStatus, kIpCountry,
  kCartToken, kCheckoutToken, kSessionId, kCustomer, kEmail, kBrowserIp, kClientDetails,
  kLineItems, kBillingAddress, kShippingAddress, kDiscountCodes, kPayment, kRefundIds, kRefunds,
  kTopCount
};
constexpr std::array<std::string_view, kTopCount> kTopNames = {
    "id", "created_at", "updated_at", "cancelled_at", "total_price", "subtotal_price",
    "total_discounts", "refunded_amount", "customer_orders_count", "customer_id", "currency",
    "financial_status", "ip_country", "cart_token", "checkout_token", "session_id", "customer",
    "email", "browser_ip", "client_details", "line_items", "billing_address",
    "shipping_address", "discount_codes", "payment", "refund_ids", "refunds"};

constexpr std::array<std::string_view, 3> kCustomerNames = {"id", "orders_count", "email"};
constexpr std::array<std::string_view, 4> kClientNames = {"user_agent", "accept_language",
                                                          "device_id", "browser_ip"};
constexpr std::array<std::string_view, 7> kItemNames = {"id",  "product_id", "variant_id", "title",
                                                        "sku", "quantity",   "price"};
constexpr std::array<std::string_view, 7> kAddressNames = {
    "country_code", "province_code", "city", "zip", "address1", "latitude", "longitude"};
constexpr std::array<std::string_view, 2> kDiscountNames = {"code", "amount"};
constexpr std::array<std::string_view, 2> kPaymentNames = {"card_fingerprint", "attempts"};

bool LineItems(dom::element v, json& out) {
  dom::array items;
  if (v.get_array().get(items) != SUCCESS || items.size() > 1000) return false;
  out = json::array();
  for (dom::element e : items) {
    dom::object obj;
    if (e.get_object().get(obj) != SUCCESS) return false;
    Fields<kItemNames.size()> f(obj, kItemNames);
    json item = json::object();
    for (size_t i : {0, 1, 2}) {
      if (!f.Present(i)) continue;
      std::string id;
      if (!ReadId(f.vals[i], &id)) return false;
      item[kItemNames[i].data()] = std::move(id);
    }
    if (!CopyStrings(f, kItemNames, {3, 4}, item)) return false;
    item["quantity"] = 1;
    if (f.Present(5)) {
      int64_t q = 0;
      if (!Integer(f.vals[5], &q) || q < 0) return false;
      item["quantity"] = q;
    }
    item["price"] = 0.0;
    if (!CopyNumbers(f, kItemNames, {6}, item)) return false;
    out.push_back(std::move(item));
  }
  return true;
}

bool Address(dom::element v, json& out) {
  dom::object obj;
  if (v.get_object().get(obj) != SUCCESS) return false;
  Fields<kAddressNames.size()> f(obj, kAddressNames);
  out = json::object();
  return CopyStrings(f, kAddressNames, {0, 1, 2, 3, 4}, out) &&
         CopyNumbers(f, kAddressNames, {5, 6}, out);
}

bool DiscountCodes(dom::element v, json& out) {
  dom::array codes;
  if (v.get_array().get(codes) != SUCCESS) return false;
  out = json::array();
  for (dom::element e : codes) {
    dom::object obj;
    if (e.get_object().get(obj) != SUCCESS) return false;
    Fields<kDiscountNames.size()> f(obj, kDiscountNames);
    json code = json::object();
    if (!CopyStrings(f, kDiscountNames, {0}, code) || !CopyNumbers(f, kDiscountNames, {1}, code)) {
      return false;
    }
    out.push_back(std::move(code));
  }
  return true;
}

bool Payment(dom::object obj, json& out) {
  Fields<kPaymentNames.size()> f(obj, kPaymentNames);
  out = json::object();
  if (!CopyStrings(f, kPaymentNames, {0}, out)) return false;
  if (!f.Present(1)) return true;
  const dom::element_type t = f.vals[1].type();
  if (t == dom::element_type::DOUBLE) return false;  // "-0"
  int64_t attempts = 0;
  if (Integer(f.vals[1], &attempts)) out["attempts"] = attempts;
  return true;
}

// Escapes of UTF-16 surrogates: nlohmann rejects unpaired ones, and simdjson
// 3.0 may not, so such bodies go to the reference path.
bool HasSurrogateEscape(std::string_view body) {
  for (size_t at = body.find("\\u"); at != std::string_view::npos;
       at = body.find("\\u", at + 2)) {
    if (at + 2 < body.size() && (body[at + 2] == 'd' || body[at + 2] == 'D')) return true;
  }
  return false;
}

}  // namespace

struct ShopifyOrderDecoder::Impl {
  dom::parser parser;
  std::string buffer;  // the body, padded as simdjson requires
};

ShopifyOrderDecoder::ShopifyOrderDecoder() : impl_(std::make_unique<Impl>()) {}
ShopifyOrderDecoder::~ShopifyOrderDecoder() = default;

std::optional<json> ShopifyOrderDecoder::Decode(std::string_view body, std::string_view topic,
                                                std::string_view triggered_at,
                                                std::string_view shop, const PiiHasher& hasher) {
  if (HasSurrogateEscape(body)) return std::nullopt;
  std::string& buf = impl_->buffer;
  buf.assign(body);
  buf.append(simdjson::SIMDJSON_PADDING, '\0');
  dom::element root;
  if (impl_->parser.parse(buf.data(), body.size(), /*realloc_if_needed=*/false).get(root) !=
      SUCCESS) {
    return std::nullopt;
  }
  dom::object obj;
  if (root.get_object().get(obj) != SUCCESS) return std::nullopt;
  const Fields<kTopCount> f(obj, kTopNames);
  if (f.seen[kRefundIds]) return std::nullopt;
  json out = json::object();
  if (!f.Present(kId)) return std::nullopt;
  std::string id;
  if (!ReadId(f.vals[kId], &id)) return std::nullopt;
  out["id"] = std::move(id);
  if (!f.Present(kCreatedAt) || !f.Present(kTotalPrice)) return std::nullopt;
  for (size_t i : {kCreatedAt, kUpdatedAt, kCancelledAt}) {
    if (!f.Present(i)) continue;
    std::string t;
    if (!ReadTime(f.vals[i], &t)) return std::nullopt;
    out[kTopNames[i].data()] = std::move(t);
  }
  if (topic == "orders/cancelled" && !f.seen[kCancelledAt] && !triggered_at.empty()) {
    auto ms = ParseRfc3339Millis(triggered_at);
    if (!ms.ok()) return std::nullopt;
    out["cancelled_at"] = FormatRfc3339Millis(*ms);
  }
  // Refunds: an empty array sums to nothing; others go to the reference path.
  bool empty_refunds = false;
  if (!f.seen[kRefundedAmount] && f.seen[kRefunds] && f.vals[kRefunds].is_array()) {
    if (dom::array(f.vals[kRefunds]).size() != 0) return std::nullopt;
    empty_refunds = true;
  }
  if (!CopyNumbers(f, kTopNames,
                   {kTotalPrice, kSubtotalPrice, kTotalDiscounts, kRefundedAmount,
                    kCustomerOrdersCount},
                   out) ||
      !CopyStrings(f, kTopNames,
                   {kCustomerId, kCurrency, kFinancialStatus, kIpCountry, kCartToken,
                    kCheckoutToken, kSessionId},
                   out)) {
    return std::nullopt;
  }
  if (empty_refunds) out["refunded_amount"] = 0.0;
  // Shopify nests the customer.
  dom::object customer;
  const bool has_customer =
      f.seen[kCustomer] && f.vals[kCustomer].get_object().get(customer) == SUCCESS;
  std::optional<Fields<kCustomerNames.size()>> c;
  if (has_customer) c.emplace(customer, kCustomerNames);
  if (c && !out.contains("customer_id") && c->Present(0)) {
    std::string cid;
    if (!ReadId(c->vals[0], &cid)) return std::nullopt;
    out["customer_id"] = std::move(cid);
  }
  if (c && !out.contains("customer_orders_count") && c->Present(1) && c->vals[1].is_number()) {
    double n = 0;
    if (!ReadNumber(c->vals[1], &n)) return std::nullopt;
    out["customer_orders_count"] = n;
  }
  std::string_view email;
  if (f.Present(kEmail)) email = StringOr(f.vals[kEmail]);
  if (email.empty() && c && c->Present(2)) email = StringOr(c->vals[2]);
  if (!email.empty()) {
    size_t at = email.rfind('@');
    std::string domain(at == std::string_view::npos ? "" : email.substr(at + 1));
    for (char& ch : domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out["email"] = hasher.HashEmail(shop, email) + "@" + domain;
  }
  std::string_view ip;
  if (f.Present(kBrowserIp)) ip = StringOr(f.vals[kBrowserIp]);
  dom::object client;
  if (f.Present(kClientDetails) && f.vals[kClientDetails].get_object().get(client) == SUCCESS) {
    Fields<kClientNames.size()> cd(client, kClientNames);
    json details = json::object();
    if (!CopyStrings(cd, kClientNames, {0, 1, 2}, details)) return std::nullopt;
    out["client_details"] = std::move(details);
    if (ip.empty() && cd.Present(3)) ip = StringOr(cd.vals[3]);
  }
  if (!ip.empty()) out["browser_ip"] = hasher.Hash(shop, ip);
  out["line_items"] = json::array();
  if (f.Present(kLineItems) && !LineItems(f.vals[kLineItems], out["line_items"])) {
    return std::nullopt;
  }
  for (size_t i : {kBillingAddress, kShippingAddress}) {
    if (f.Present(i) && !Address(f.vals[i], out[kTopNames[i].data()])) return std::nullopt;
  }
  if (f.Present(kDiscountCodes) && !DiscountCodes(f.vals[kDiscountCodes], out["discount_codes"])) {
    return std::nullopt;
  }
  dom::object payment;
  if (f.Present(kPayment) && f.vals[kPayment].get_object().get(payment) == SUCCESS &&
      !Payment(payment, out["payment"])) {
    return std::nullopt;
  }
  if (empty_refunds) out["refund_ids"] = json::array();
  return out;
}

}  // namespace storepilot::ingest
