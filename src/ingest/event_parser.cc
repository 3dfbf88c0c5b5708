#include "ingest/event_parser.h"

#include <cmath>

#include "common/time_util.h"
#include "simdjson.h"

namespace storepilot::ingest {
namespace {

constexpr size_t kMaxReportedErrors = 100;
namespace dom = simdjson::dom;

class BatchBuilder {
 public:
  BatchBuilder(const ParseLimits& limits, int64_t now_ms, ParsedBatch* out)
      : limits_(limits), now_ms_(now_ms), out_(out) {}

  void Fail(int index, std::string field, std::string problem) {
    if (out_->errors.size() < kMaxReportedErrors) {
      out_->errors.push_back({index, std::move(field), std::move(problem)});
    }
  }

  void AddEvent(int index, dom::element value) {
    dom::object obj;
    if (value.get_object().get(obj) != simdjson::SUCCESS) {
      Fail(index, "", "an event must be a JSON object");
      return;
    }
    Event e;
    size_t errors_before = out_->errors.size();
    bool has_ts = false;
    for (dom::key_value_pair kv : obj) {
      ReadField(index, std::string_view(kv.key), kv.value, &e, &has_ts);
    }
    // "required" only for fields that are absent, not for ones already reported.
    auto absent = [&obj](const char* key) { return obj[key].error() != simdjson::SUCCESS; };
    if (e.event_id.empty() && absent("event_id")) Fail(index, "event_id", "required");
    if (!type_seen_ && absent("type")) Fail(index, "type", "required");
    if (!has_ts && absent("ts")) Fail(index, "ts", "required");
    if (e.session_id.empty() && e.user_id.empty() && absent("session_id") &&
        absent("user_id")) {
      Fail(index, "session_id", "session_id or user_id is required");
    }
    if (type_seen_ && out_->errors.size() == errors_before) CheckTypeRequirements(index, e);
    out_->types.push_back(type_seen_ ? static_cast<int>(e.type) : -1);
    type_seen_ = false;
    if (out_->errors.size() == errors_before) out_->events.push_back(std::move(e));
  }

 private:
  bool ReadString(int index, std::string_view field, dom::element v, size_t max,
                  std::string* out, bool allow_number = false) {
    if (v.is_null()) return true;
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      if (s.size() > max) {
        Fail(index, std::string(field), "longer than " + std::to_string(max) + " bytes");
        return false;
      }
      out->assign(s);
      return true;
    }
    int64_t i = 0;
    uint64_t u = 0;
    if (allow_number && v.get_int64().get(i) == simdjson::SUCCESS) {
      *out = std::to_string(i);
      return true;
    }
    if (allow_number && v.get_uint64().get(u) == simdjson::SUCCESS) {
      *out = std::to_string(u);
      return true;
    }
    Fail(index, std::string(field), allow_number ? "must be a string or an integer"
                                                 : "must be a string");
    return false;
  }

  bool ReadNumber(int index, std::string_view field, dom::element v, double* out) {
    double d = 0;
    if (v.get_double().get(d) != simdjson::SUCCESS || !std::isfinite(d) || d < 0) {
      Fail(index, std::string(field), "must be a non-negative number");
      return false;
    }
    *out = d;
    return true;
  }

  bool ReadQuantity(int index, std::string_view field, dom::element v, int64_t* out) {
    int64_t q = 0;
    if (v.get_int64().get(q) != simdjson::SUCCESS || q < 0 || q > 1'000'000) {
      Fail(index, std::string(field), "must be an integer from 0 to 1000000");
      return false;
    }
    *out = q;
    return true;
  }

  void ReadTimestamp(int index, dom::element v, Event* e, bool* has_ts) {
    std::string_view s;
    int64_t ms = 0;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      auto parsed = ParseRfc3339Millis(s);
      if (!parsed.ok()) {
        Fail(index, "ts", "must be RFC 3339 or epoch milliseconds");
        return;
      }
      ms = *parsed;
    } else if (v.get_int64().get(ms) != simdjson::SUCCESS) {
      Fail(index, "ts", "must be RFC 3339 or epoch milliseconds");
      return;
    }
    *has_ts = true;
    if (ms < 0) {
      Fail(index, "ts", "before 1970");
    } else if (ms > now_ms_ + limits_.max_future_ms) {
      Fail(index, "ts", "more than 24 h in the future");
    }
    e->ts_ms = ms;
  }

  void ReadItems(int index, dom::element v, Event* e) {
    dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) {
      Fail(index, "items", "must be an array");
      return;
    }
    if (arr.size() > limits_.max_items) {
      Fail(index, "items", "more than " + std::to_string(limits_.max_items) + " items");
      return;
    }
    size_t i = 0;
    for (dom::element item : arr) {
      std::string prefix = "items[" + std::to_string(i++) + "].";
      dom::object obj;
      if (item.get_object().get(obj) != simdjson::SUCCESS) {
        Fail(index, prefix.substr(0, prefix.size() - 1), "must be an object");
        continue;
      }
      LineItem li;
      for (dom::key_value_pair kv : obj) {
        std::string_view k(kv.key);
        if (k == "product_id") {
          ReadString(index, prefix + "product_id", kv.value, limits_.max_id_bytes,
                     &li.product_id, true);
        } else if (k == "quantity") {
          ReadQuantity(index, prefix + "quantity", kv.value, &li.quantity);
        } else if (k == "price") {
          ReadNumber(index, prefix + "price", kv.value, &li.price);
        }
      }
      if (li.product_id.empty()) Fail(index, prefix + "product_id", "required");
      e->items.push_back(std::move(li));
    }
  }

  void ReadContext(int index, dom::element v, Event* e) {
    if (v.is_null()) return;
    dom::object obj;
    if (v.get_object().get(obj) != simdjson::SUCCESS) {
      Fail(index, "context", "must be an object");
      return;
    }
    for (dom::key_value_pair kv : obj) {
      std::string_view k(kv.key);
      size_t max = limits_.max_id_bytes;
      if (k == "device") {
        ReadString(index, "context.device", kv.value, max, &e->context.device);
      } else if (k == "country") {
        ReadString(index, "context.country", kv.value, max, &e->context.country);
      } else if (k == "ip") {
        ReadString(index, "context.ip", kv.value, max, &e->context.ip);
      } else if (k == "referrer") {
        ReadString(index, "context.referrer", kv.value, limits_.max_text_bytes,
                   &e->context.referrer);
      }
    }
  }

  void ReadField(int index, std::string_view k, dom::element v, Event* e, bool* has_ts) {
    const size_t id_max = limits_.max_id_bytes;
    if (k == "event_id") {
      ReadString(index, k, v, id_max, &e->event_id, true);
    } else if (k == "type") {
      std::string name;
      if (!ReadString(index, k, v, id_max, &name)) return;
      auto type = EventTypeFromName(name);
      if (!type) {
        Fail(index, "type", "unknown event type '" + name + "'");
        return;
      }
      e->type = *type;
      type_seen_ = true;
    } else if (k == "ts") {
      ReadTimestamp(index, v, e, has_ts);
    } else if (k == "session_id") {
      ReadString(index, k, v, id_max, &e->session_id, true);
    } else if (k == "user_id") {
      ReadString(index, k, v, id_max, &e->user_id, true);
    } else if (k == "product_id") {
      ReadString(index, k, v, id_max, &e->product_id, true);
    } else if (k == "query") {
      ReadString(index, k, v, limits_.max_text_bytes, &e->query);
    } else if (k == "quantity") {
      if (!v.is_null()) ReadQuantity(index, k, v, &e->quantity);
    } else if (k == "price") {
      double price = 0;
      if (!v.is_null() && ReadNumber(index, k, v, &price)) e->price = price;
    } else if (k == "currency") {
      ReadString(index, k, v, 8, &e->currency);
    } else if (k == "order_id") {
      ReadString(index, k, v, id_max, &e->order_id, true);
    } else if (k == "request_id") {
      ReadString(index, k, v, id_max, &e->request_id);
    } else if (k == "items") {
      if (!v.is_null()) ReadItems(index, v, e);
    } else if (k == "context") {
      ReadContext(index, v, e);
    }
    // Unknown fields are ignored so that senders can add their own.
  }

  void CheckTypeRequirements(int index, const Event& e) {
    switch (e.type) {
      case EventType::kView:
      case EventType::kClick:
      case EventType::kAddToCart:
      case EventType::kRemoveFromCart:
        if (e.product_id.empty()) Fail(index, "product_id", "required for this type");
        break;
      case EventType::kSearch:
        if (e.query.empty()) Fail(index, "query", "required for a search");
        break;
      case EventType::kPurchase:
        if (e.order_id.empty()) Fail(index, "order_id", "required for a purchase");
        if (e.items.empty() &&
            (e.product_id.empty() || e.quantity <= 0 || !e.price.has_value())) {
          Fail(index, "items",
               "a purchase needs items, or product_id with quantity and price");
        }
        break;
      default:
        break;
    }
  }

  const ParseLimits& limits_;
  int64_t now_ms_;
  ParsedBatch* out_;
  bool type_seen_ = false;
};

}  // namespace

struct EventParser::Impl {
  ParseLimits limits;
  dom::parser parser;
};

EventParser::EventParser(ParseLimits limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
}
EventParser::~EventParser() = default;

ParsedBatch EventParser::Parse(std::string_view body, bool ndjson, int64_t now_ms) {
  ParsedBatch out;
  BatchBuilder builder(impl_->limits, now_ms, &out);
  auto malformed = [&](int index, const std::string& why) {
    out.malformed = true;
    out.events.clear();
    out.errors.clear();
    builder.Fail(index, "", "malformed JSON: " + why);
  };
  if (!ndjson) {
    dom::element doc;
    auto err = impl_->parser.parse(body.data(), body.size()).get(doc);
    if (err != simdjson::SUCCESS) {
      malformed(-1, simdjson::error_message(err));
      return out;
    }
    dom::array arr;
    if (doc.get_array().get(arr) != simdjson::SUCCESS) {
      // A single object is accepted as a batch of one.
      if (doc.is_object()) {
        builder.AddEvent(0, doc);
        return out;
      }
      malformed(-1, "expected an array of events");
      return out;
    }
    if (arr.size() > impl_->limits.max_events) {
      malformed(-1, "more than " + std::to_string(impl_->limits.max_events) + " events");
      return out;
    }
    if (arr.size() == 0) builder.Fail(-1, "", "no events in the body");
    int index = 0;
    for (dom::element v : arr) builder.AddEvent(index++, v);
    return out;
  }
  int index = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (static_cast<size_t>(index) >= impl_->limits.max_events) {
      malformed(-1, "more than " + std::to_string(impl_->limits.max_events) + " events");
      return out;
    }
    dom::element doc;
    auto err = impl_->parser.parse(line.data(), line.size()).get(doc);
    if (err != simdjson::SUCCESS) {
      malformed(index, simdjson::error_message(err));
      return out;
    }
    builder.AddEvent(index++, doc);
  }
  if (index == 0) builder.Fail(-1, "", "no events in the body");
  return out;
}

}  // namespace storepilot::ingest
