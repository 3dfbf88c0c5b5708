// The privacy part of the Shopify translator: data requests, customer and
// shop redaction, and the worker that rewrites and compacts the log.
#include <algorithm>
#include <chrono>

#include "common/time_util.h"
#include "ingest/internal/shopify_json.h"
#include "ingest/shopify_translator.h"

namespace storepilot::ingest {

using json = nlohmann::json;

namespace {

std::string LowerEmail(const json& v) {
  if (!v.is_string()) return "";
  std::string s = v.get<std::string>();
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return !v.empty() && std::find(list.begin(), list.end(), v) != list.end();
}

// Whether a raw Shopify payload carries data of the customer.
bool DeliveryConcerns(const ShopifyDelivery& d, const CustomerRef& ref, const std::string& email) {
  json body = json::parse(d.body, nullptr, false);
  if (!body.is_object()) return false;
  auto email_is = [&](const json& obj, const char* field) {
    return !email.empty() && obj.contains(field) && LowerEmail(obj[field]) == email;
  };
  if (auto c = body.find("customer"); c != body.end() && c->is_object()) {
    if (IdString(c->value("id", json(nullptr))) == ref.customer_id) return true;
    if (email_is(*c, "email")) return true;
  }
  if (email_is(body, "email") || email_is(body, "contact_email")) return true;
  const std::string id = IdString(body.value("id", json(nullptr)));
  if (d.topic.starts_with("customers/") && id == ref.customer_id) return true;
  if (d.topic.starts_with("orders/") && Contains(ref.order_ids, id)) return true;
  if (Contains(ref.order_ids, IdString(body.value("order_id", json(nullptr))))) return true;
  for (const char* f : {"token", "cart_token"}) {
    if (Contains(ref.session_ids, IdString(body.value(f, json(nullptr))))) return true;
  }
  return false;
}

// Orders the fraud API recorded (kFraudOrder: id '\n' the order JSON as
// posted, raw email and IP included) and labels of those orders. `ref`
// collects the ids of the customer's fraud orders, which precede their labels
// in the log.
bool FraudRecordConcerns(const store::LogRecord& rec, CustomerRef* ref,
                         const std::string& email) {
  if (rec.type == store::RecordType::kFraudLabel) {
    json label = json::parse(rec.payload, nullptr, false);
    return label.is_object() && Contains(ref->order_ids, label.value("order_id", ""));
  }
  const size_t newline = rec.payload.find('\n');
  if (newline == std::string_view::npos) return false;
  const std::string id(rec.payload.substr(0, newline));
  json order = json::parse(rec.payload.substr(newline + 1), nullptr, false);
  if (!order.is_object()) return false;
  const std::string order_email = LowerEmail(order.value("email", json(nullptr)));
  const bool concerns =
      Contains(ref->order_ids, id) ||
      (!ref->customer_id.empty() &&
       IdString(order.value("customer_id", json(nullptr))) == ref->customer_id) ||
      (!email.empty() && order_email == email) ||
      (!ref->email_hash.empty() &&
       order_email.substr(0, order_email.find('@')) == ref->email_hash);
  if (concerns && !Contains(ref->order_ids, id)) ref->order_ids.push_back(id);
  return concerns;
}

bool RecordConcerns(const store::LogRecord& rec, CustomerRef* fraud_ref, const CustomerRef& ref,
                    const std::string& email) {
  switch (rec.type) {
    case store::RecordType::kFraudOrder:
    case store::RecordType::kFraudLabel:
      return FraudRecordConcerns(rec, fraud_ref, email);
    case store::RecordType::kWebhook: {
      auto d = DecodeDelivery(rec.payload);
      return d.ok() && DeliveryConcerns(*d, ref, email);
    }
    case store::RecordType::kOrderUpsert: {
      json order = json::parse(rec.payload, nullptr, false);
      if (!order.is_object()) return false;
      const std::string hashed = order.value("email", "");
      return order.value("customer_id", "") == ref.customer_id ||
             (!ref.email_hash.empty() && hashed.substr(0, hashed.find('@')) == ref.email_hash) ||
             Contains(ref.order_ids, order.value("id", ""));
    }
    case store::RecordType::kEvent: {
      auto e = DecodeEvent(rec.payload);
      return e.ok() && ((!ref.customer_id.empty() && e->user_id == ref.customer_id) ||
                        Contains(ref.order_ids, e->order_id) ||
                        Contains(ref.session_ids, e->session_id));
    }
    default:
      return false;
  }
}

json EventJson(const Event& e) {
  json j = {{"event_id", e.event_id}, {"type", EventTypeName(e.type)},
            {"ts", FormatRfc3339Millis(e.ts_ms)}, {"session_id", e.session_id},
            {"product_id", e.product_id}, {"quantity", e.quantity}};
  if (e.price) j["price"] = *e.price;
  if (!e.order_id.empty()) j["order_id"] = e.order_id;
  return j;
}

}  // namespace

void ShopifyTranslator::ApplyDataRequest(const store::LogRecord& record,
                                         const ShopifyDelivery& d, const json& body) {
  const std::string shop(record.shop);
  const json customer = body.value("customer", json::object());
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kExport;
  job->shop = shop;
  job->partition = record.partition;
  job->seq = record.seq;
  job->ref.customer_id = IdString(customer.value("id", json(nullptr)));
  job->email = LowerEmail(customer.value("email", json(nullptr)));
  job->ref.email_hash = job->email.empty() ? "" : hasher_.HashEmail(shop, job->email);
  job->request_id = IdString(body.value("data_request", json::object()).value("id", json(nullptr)));
  if (job->request_id.empty()) job->request_id = d.webhook_id;
  std::vector<std::string> requested;
  for (const json& id : body.value("orders_requested", json::array())) {
    requested.push_back(IdString(id));
  }
  json orders = json::array();
  for (json& o : deps_.orders->Find(shop, job->ref.customer_id, job->ref.email_hash, requested)) {
    job->ref.order_ids.push_back(o.value("id", ""));
    orders.push_back(std::move(o));
  }
  json out = {{"data_request_id", job->request_id},
              {"shop", shop},
              {"status", "pending"},
              {"requested_at", d.triggered_at},
              {"customer", {{"id", job->ref.customer_id}, {"email_hash", job->ref.email_hash}}},
              {"orders", std::move(orders)}};
  {
    std::lock_guard<std::mutex> lock(mu_);
    ShopState& state = shops_[shop];
    auto c = state.customers.find(job->ref.customer_id);
    out["profile"] = c == state.customers.end() ? json(nullptr) : c->second;
    json carts = json::array();
    for (const auto& [token, cart] : state.carts) {
      if (cart.customer_id != job->ref.customer_id || cart.customer_id.empty()) continue;
      job->ref.session_ids.push_back(token);
      json lines = json::array();
      for (const auto& [key, li] : cart.lines) {
        lines.push_back({{"product_id", li.product_id}, {"quantity", li.quantity}});
      }
      carts.push_back({{"token", token}, {"line_items", std::move(lines)}});
    }
    out["carts"] = std::move(carts);
  }
  json engines = json::object();
  for (RedactionListener* l : listeners_) {
    json part = l->ExportCustomer(shop, job->ref);
    if (!part.is_null()) engines[l->name()] = std::move(part);
  }
  out["engines"] = std::move(engines);
  {
    std::lock_guard<std::mutex> lock(mu_);
    shops_[shop].exports[job->request_id] =
        Export{job->ref.customer_id, job->ref.email_hash, std::move(out)};
  }
  std::lock_guard<std::mutex> lock(jobs_mu_);
  jobs_.push_back(std::move(job));
  jobs_cv_.notify_all();
}

void ShopifyTranslator::ApplyCustomerRedact(const store::LogRecord& record,
                                            const ShopifyDelivery& d, const json& body) {
  const std::string shop(record.shop);
  const json customer = body.value("customer", json::object());
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kRedactCustomer;
  job->shop = shop;
  job->partition = record.partition;
  job->seq = record.seq;
  CustomerRef& ref = job->ref;
  ref.customer_id = IdString(customer.value("id", json(nullptr)));
  job->email = LowerEmail(customer.value("email", json(nullptr)));
  ref.email_hash = job->email.empty() ? "" : hasher_.HashEmail(shop, job->email);
  for (const json& id : body.value("orders_to_redact", json::array())) {
    ref.order_ids.push_back(IdString(id));
  }
  for (const json& o : deps_.orders->Find(shop, ref.customer_id, ref.email_hash, ref.order_ids)) {
    if (!Contains(ref.order_ids, o.value("id", ""))) ref.order_ids.push_back(o.value("id", ""));
    for (const char* f : {"cart_token", "checkout_token"}) {
      if (!o.value(f, "").empty()) ref.session_ids.push_back(o.value(f, ""));
    }
  }
  const size_t orders_removed =
      deps_.orders->Erase(shop, ref.customer_id, ref.email_hash, ref.order_ids).size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ShopState& state = shops_[shop];
    for (auto it = state.customers.begin(); it != state.customers.end();) {
      bool match = it->first == ref.customer_id ||
                   (!ref.email_hash.empty() && it->second.value("email_hash", "") == ref.email_hash);
      it = match ? state.customers.erase(it) : std::next(it);
    }
    for (auto it = state.carts.begin(); it != state.carts.end();) {
      bool match = (!ref.customer_id.empty() && it->second.customer_id == ref.customer_id) ||
                   Contains(ref.session_ids, it->first);
      if (match && !Contains(ref.session_ids, it->first)) ref.session_ids.push_back(it->first);
      it = match ? state.carts.erase(it) : std::next(it);
    }
    for (auto it = state.exports.begin(); it != state.exports.end();) {
      bool match = it->second.customer_id == ref.customer_id ||
                   (!ref.email_hash.empty() && it->second.email_hash == ref.email_hash);
      it = match ? state.exports.erase(it) : std::next(it);
    }
  }
  for (RedactionListener* l : listeners_) l->OnCustomerRedacted(shop, ref);
  job->audit = {{"action", "customers/redact"},   {"shop", shop},
                {"requested_by", "shopify"},      {"webhook_id", d.webhook_id},
                {"requested_at", d.triggered_at}, {"orders_removed", orders_removed}};
  std::lock_guard<std::mutex> lock(jobs_mu_);
  jobs_.push_back(std::move(job));
  jobs_cv_.notify_all();
}

void ShopifyTranslator::ApplyShopRedact(const store::LogRecord& record, const ShopifyDelivery& d) {
  const std::string shop(record.shop);
  deps_.orders->EraseShop(shop);
  deps_.catalog->EraseShop(shop);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ShopState& state = shops_[shop];
    std::vector<json> audit = std::move(state.audit);
    const bool uninstalled = state.uninstalled;
    state = ShopState();
    state.audit = std::move(audit);
    state.uninstalled = uninstalled;
  }
  for (RedactionListener* l : listeners_) l->OnShopRedacted(shop);
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kRedactShop;
  job->shop = shop;
  job->partition = record.partition;
  job->seq = record.seq;
  job->audit = {{"action", "shop/redact"},
                {"shop", shop},
                {"requested_by", "shopify"},
                {"webhook_id", d.webhook_id},
                {"requested_at", d.triggered_at}};
  std::lock_guard<std::mutex> lock(jobs_mu_);
  jobs_.push_back(std::move(job));
  jobs_cv_.notify_all();
}

void ShopifyTranslator::AttachLog(store::EventLog* log) {
  std::lock_guard<std::mutex> lock(jobs_mu_);
  if (worker_.joinable() || stopping_) return;
  log_ = log;
  worker_ = std::thread([this] { WorkerLoop(); });
}

void ShopifyTranslator::Stop() {
  {
    std::lock_guard<std::mutex> lock(jobs_mu_);
    stopping_ = true;
    jobs_cv_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
}

bool ShopifyTranslator::WaitPrivacyIdle(int timeout_ms) const {
  std::unique_lock<std::mutex> lock(jobs_mu_);
  return jobs_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [this] { return jobs_.empty() && !job_running_; });
}

void ShopifyTranslator::WorkerLoop() {
  // Records are rewritten only once the startup replay is over.
  while (!log_->WaitReady(100)) {
    std::lock_guard<std::mutex> lock(jobs_mu_);
    if (stopping_) return;
  }
  while (true) {
    std::unique_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(jobs_mu_);
      jobs_cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      job_running_ = true;
    }
    RunJob(*job);
    std::lock_guard<std::mutex> lock(jobs_mu_);
    job_running_ = false;
    jobs_cv_.notify_all();
  }
}

void ShopifyTranslator::RunJob(Job& job) {
  const int64_t start_us = deps_.clock->NowMicros();
  if (job.kind == Job::Kind::kExport) {
    json events = json::array();
    log_->ForEachRecord(job.shop, [&](const store::LogRecord& rec) {
      if (rec.type != store::RecordType::kEvent) return;
      auto e = DecodeEvent(rec.payload);
      if (e.ok() && !job.ref.customer_id.empty() && e->user_id == job.ref.customer_id) {
        events.push_back(EventJson(*e));
      }
    });
    std::lock_guard<std::mutex> lock(mu_);
    auto& exports = shops_[job.shop].exports;
    auto it = exports.find(job.request_id);
    if (it == exports.end()) return;  // redacted meanwhile
    it->second.body["events"] = std::move(events);
    it->second.body["status"] = "complete";
    return;
  }
  const bool whole_shop = job.kind == Job::Kind::kRedactShop;
  CustomerRef fraud_ref = job.ref;  // grows with the fraud API's orders of the customer
  auto removed = log_->RewriteShop(job.shop, [&](const store::LogRecord& rec)
                                                 -> std::optional<store::EventLog::Replacement> {
    if (rec.partition == job.partition && rec.seq == job.seq) return std::nullopt;
    bool drop = whole_shop ? rec.type != store::RecordType::kShopCreate &&
                                 rec.type != store::RecordType::kRedactionAudit &&
                                 rec.type != store::RecordType::kRedacted
                           : RecordConcerns(rec, &fraud_ref, job.ref, job.email);
    if (!drop) return std::nullopt;
    return store::EventLog::Replacement{store::RecordType::kRedacted, ""};
  });
  job.audit["records_removed"] = removed.ok() ? *removed : 0;
  job.audit["completed_at"] = FormatRfc3339Millis(deps_.clock->NowMillis());
  const std::string entry = job.audit.dump();
  // The request itself becomes the audit entry: it keeps no personal data.
  auto status = log_->RewriteShop(job.shop, [&](const store::LogRecord& rec)
                                                -> std::optional<store::EventLog::Replacement> {
    if (rec.partition != job.partition || rec.seq != job.seq) return std::nullopt;
    return store::EventLog::Replacement{store::RecordType::kRedactionAudit, entry};
  });
  if (removed.ok() && status.ok()) (void)log_->CompactAll();
  job.email.clear();
  if (redaction_seconds_) redaction_seconds_->Observe((deps_.clock->NowMicros() - start_us) / 1e6);
  std::lock_guard<std::mutex> lock(mu_);
  shops_[job.shop].audit.push_back(std::move(job.audit));
}

std::optional<json> ShopifyTranslator::DataRequest(const std::string& shop,
                                                   const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(shop);
  if (s == shops_.end()) return std::nullopt;
  auto it = s->second.exports.find(id);
  if (it == s->second.exports.end()) return std::nullopt;
  return it->second.body;
}

json ShopifyTranslator::Audit(const std::string& shop) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto s = shops_.find(shop);
  json out = json::array();
  if (s != shops_.end()) {
    for (const json& e : s->second.audit) out.push_back(e);
  }
  return out;
}

}  // namespace storepilot::ingest
