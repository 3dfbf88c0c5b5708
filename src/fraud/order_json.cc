#include "fraud/order_json.h"

#include <cctype>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace storepilot::fraud {
namespace {

using nlohmann::json;

const json* Field(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

// A string, or an integer turned into one (ids often arrive as numbers).
absl::Status ReadId(const json& j, const char* name, std::string* out) {
  const json* v = Field(j, name);
  if (v == nullptr) return absl::OkStatus();
  if (v->is_string()) {
    *out = v->get<std::string>();
  } else if (v->is_number_integer()) {
    *out = v->dump();
  } else {
    return absl::InvalidArgumentError(absl::StrCat(name, " must be a string or an integer"));
  }
  return absl::OkStatus();
}

absl::Status ReadString(const json& j, const char* name, std::string* out) {
  const json* v = Field(j, name);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) return absl::InvalidArgumentError(absl::StrCat(name, " must be a string"));
  *out = v->get<std::string>();
  return absl::OkStatus();
}

// A finite number, or a string holding one (Shopify sends prices as strings).
absl::Status ReadNumber(const json& j, const char* name, double* out) {
  const json* v = Field(j, name);
  if (v == nullptr) return absl::OkStatus();
  double d = NAN;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (!v->is_string() || !absl::SimpleAtod(v->get<std::string>(), &d)) {
    return absl::InvalidArgumentError(absl::StrCat(name, " must be a number"));
  }
  if (!std::isfinite(d)) return absl::InvalidArgumentError(absl::StrCat(name, " must be finite"));
  *out = d;
  return absl::OkStatus();
}

absl::Status ReadObject(const json& j, const char* name, const json** out) {
  *out = Field(j, name);
  if (*out != nullptr && !(*out)->is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(name, " must be an object"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ReadTime(const json& j, const char* name) {
  const json* v = Field(j, name);
  if (v == nullptr) return absl::InvalidArgumentError(absl::StrCat(name, " is required"));
  if (v->is_number_integer()) return v->get<int64_t>();
  if (!v->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(name, " must be RFC 3339 or epoch ms"));
  }
  auto t = ParseRfc3339Millis(v->get<std::string>());
  if (!t.ok()) return absl::InvalidArgumentError(absl::StrCat(name, ": ", t.status().message()));
  return *t;
}

absl::Status ReadAddress(const json& j, const char* name, std::string* country,
                         std::string* line, double* lat, double* lon) {
  const json* a = nullptr;
  RETURN_IF_ERROR(ReadObject(j, name, &a));
  if (a == nullptr) return absl::OkStatus();
  RETURN_IF_ERROR(ReadString(*a, "country_code", country));
  *country = absl::AsciiStrToUpper(*country);
  if (line != nullptr) {
    std::string address1, zip, city;
    RETURN_IF_ERROR(ReadString(*a, "address1", &address1));
    RETURN_IF_ERROR(ReadString(*a, "zip", &zip));
    RETURN_IF_ERROR(ReadString(*a, "city", &city));
    if (!address1.empty() || !zip.empty()) {
      *line = absl::AsciiStrToLower(absl::StrCat(absl::StripAsciiWhitespace(address1), "|",
                                                 absl::StripAsciiWhitespace(zip), "|",
                                                 absl::StripAsciiWhitespace(city), "|",
                                                 *country));
    }
  }
  if (lat != nullptr) {
    RETURN_IF_ERROR(ReadNumber(*a, "latitude", lat));
    RETURN_IF_ERROR(ReadNumber(*a, "longitude", lon));
  }
  return absl::OkStatus();
}

absl::Status ReadDiscount(const json& j, double* out) {
  RETURN_IF_ERROR(ReadNumber(j, "total_discounts", out));
  if (!std::isnan(*out)) return absl::OkStatus();
  const json* codes = Field(j, "discount_codes");
  if (codes == nullptr) return absl::OkStatus();
  if (!codes->is_array()) return absl::InvalidArgumentError("discount_codes must be an array");
  double sum = 0;
  for (const json& c : *codes) {
    if (!c.is_object()) return absl::InvalidArgumentError("discount_codes[] must be objects");
    double amount = 0;
    RETURN_IF_ERROR(ReadNumber(c, "amount", &amount));
    sum += amount;
  }
  *out = sum;
  return absl::OkStatus();
}

absl::Status ReadPayment(const json& j, Order* o) {
  const json* p = nullptr;
  RETURN_IF_ERROR(ReadObject(j, "payment", &p));
  if (p == nullptr) return absl::OkStatus();
  RETURN_IF_ERROR(ReadString(*p, "card_fingerprint", &o->card_fingerprint));
  const json* attempts = Field(*p, "attempts");
  if (attempts == nullptr) return absl::OkStatus();
  if (!attempts->is_number_integer() || attempts->get<int64_t>() < 1 ||
      attempts->get<int64_t>() > 1'000'000) {
    return absl::InvalidArgumentError("payment.attempts must be a positive integer");
  }
  o->payment_attempts = static_cast<int>(attempts->get<int64_t>() - 1);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Order> OrderFromJson(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("an order must be a JSON object");
  Order o;
  RETURN_IF_ERROR(ReadId(j, "id", &o.order_id));
  if (o.order_id.empty()) return absl::InvalidArgumentError("id is required");
  ASSIGN_OR_RETURN(o.time_ms, ReadTime(j, "created_at"));
  double amount = NAN;
  RETURN_IF_ERROR(ReadNumber(j, "total_price", &amount));
  if (std::isnan(amount)) return absl::InvalidArgumentError("total_price is required");
  o.amount = amount;
  RETURN_IF_ERROR(ReadId(j, "customer_id", &o.customer_id));
  RETURN_IF_ERROR(ReadString(j, "email", &o.email));
  o.email = absl::AsciiStrToLower(o.email);
  RETURN_IF_ERROR(ReadString(j, "browser_ip", &o.ip));
  RETURN_IF_ERROR(ReadString(j, "ip_country", &o.ip_country));
  o.ip_country = absl::AsciiStrToUpper(o.ip_country);
  const json* client = nullptr;
  RETURN_IF_ERROR(ReadObject(j, "client_details", &client));
  if (client != nullptr) RETURN_IF_ERROR(ReadString(*client, "device_id", &o.device_id));
  RETURN_IF_ERROR(ReadAddress(j, "shipping_address", &o.shipping_country, &o.shipping_address,
                              &o.shipping_lat, &o.shipping_lon));
  RETURN_IF_ERROR(
      ReadAddress(j, "billing_address", &o.billing_country, nullptr, nullptr, nullptr));
  RETURN_IF_ERROR(ReadPayment(j, &o));
  RETURN_IF_ERROR(ReadDiscount(j, &o.discount_amount));
  const json* count = Field(j, "customer_orders_count");
  if (count != nullptr) {
    // An integral float counts too: the canonical order (ingest/order.cc)
    // stores every number as a double.
    const double n = count->is_number() ? count->get<double>() : -1;
    if (!(n >= 0 && n <= 1'000'000'000 && n == std::floor(n))) {
      return absl::InvalidArgumentError("customer_orders_count must be a non-negative integer");
    }
    o.customer_orders_count = static_cast<int>(n);
  }
  RETURN_IF_ERROR(ValidateOrder(o));
  return o;
}

}  // namespace storepilot::fraud
