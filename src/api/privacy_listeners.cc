#include "api/privacy_listeners.h"

#include <algorithm>

namespace storepilot::api {

using nlohmann::json;

void RecommendPrivacy::OnCustomerRedacted(std::string_view shop,
                                          const ingest::CustomerRef& customer) {
  auto set = engines_->ForShop(std::string(shop));
  if (!set.ok()) return;
  // Search's pending click attributions are keyed by session: every session
  // of theirs the recommendations knew, asked before those forget them.
  (*set)->search->ForgetSessions(WithSessionsOf(engines_, shop, customer).session_ids);
  (*set)->recommend->ForgetShopper(customer.customer_id, customer.session_ids);
}

void RecommendPrivacy::OnShopRedacted(std::string_view shop) {
  auto set = engines_->ForShop(std::string(shop));
  if (!set.ok()) return;
  // The catalog's erasure already took the products out of both engines.
  (*set)->recommend->ForgetAllShoppers();
  (*set)->search->ForgetAllSignals();
  (*set)->popularity.clear();  // strand-only, and this is the shop's strand
}

json RecommendPrivacy::ExportCustomer(std::string_view shop,
                                      const ingest::CustomerRef& customer) {
  auto set = engines_->ForShop(std::string(shop));
  if (!set.ok()) return nullptr;
  recommend::RecommendEngine::ShopperState state =
      (*set)->recommend->ExportShopper(customer.customer_id, customer.session_ids);
  if (state.empty()) return nullptr;
  return {{"recent_items", state.recent_items},
          {"purchased", state.purchased},
          {"cart", state.cart},
          {"sessions", state.sessions}};
}

void FraudPrivacy::OnCustomerRedacted(std::string_view shop,
                                      const ingest::CustomerRef& customer) {
  hub_->FlushOrderRecords();  // So that the log's redaction sees them.
  hub_->EngineFor(std::string(shop))
      ->ForgetCustomer(customer.customer_id, customer.email_hash, customer.order_ids);
}

void FraudPrivacy::OnShopRedacted(std::string_view shop) { hub_->ForgetShop(std::string(shop)); }

json FraudPrivacy::ExportCustomer(std::string_view shop, const ingest::CustomerRef& customer) {
  json orders = hub_->EngineFor(std::string(shop))
                    ->ExportCustomer(customer.customer_id, customer.email_hash,
                                     customer.order_ids);
  if (orders.empty()) return nullptr;
  return {{"orders", std::move(orders)}};
}

ingest::CustomerRef WithSessionsOf(ShopEngines* engines, std::string_view shop,
                                   const ingest::CustomerRef& customer) {
  ingest::CustomerRef out = customer;
  auto set = engines->ForShop(std::string(shop));
  if (!set.ok()) return out;
  for (std::string& s :
       (*set)->recommend->ExportShopper(customer.customer_id, customer.session_ids).sessions) {
    if (s == recommend::RecommendEngine::kSessionByUser) continue;
    if (std::find(out.session_ids.begin(), out.session_ids.end(), s) == out.session_ids.end()) {
      out.session_ids.push_back(std::move(s));
    }
  }
  return out;
}

void CustomerValuePrivacy::OnCustomerRedacted(std::string_view shop,
                                              const ingest::CustomerRef& customer) {
  const ingest::CustomerRef ref = WithSessionsOf(engines_, shop, customer);
  model_->Forget(shop, ref.customer_id, ref.session_ids);
}

void StatsPrivacy::OnCustomerRedacted(std::string_view shop,
                                      const ingest::CustomerRef& customer) {
  const ingest::CustomerRef ref = WithSessionsOf(engines_, shop, customer);
  stats_->Forget(std::string(shop), ref.customer_id, ref.session_ids);
}

void CustomerValuePrivacy::OnShopRedacted(std::string_view shop) { model_->ForgetShop(shop); }

json CustomerValuePrivacy::ExportCustomer(std::string_view shop,
                                          const ingest::CustomerRef& customer) {
  if (customer.customer_id.empty()) return nullptr;
  overload::CustomerValue v = model_->Value(shop, customer.customer_id);
  if (!v.known) return nullptr;
  return {{"orders", v.orders},
          {"monetary", v.monetary},
          {"last_purchase_ms", v.last_purchase_ms},
          {"rfm", {{"recency", v.recency}, {"frequency", v.frequency},
                   {"monetary", v.monetary_score}}},
          {"score", v.score}};
}

}  // namespace storepilot::api
