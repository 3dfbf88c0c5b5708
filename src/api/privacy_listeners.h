#ifndef STOREPILOT_API_PRIVACY_LISTENERS_H_
#define STOREPILOT_API_PRIVACY_LISTENERS_H_

// The engines' side of customers/redact, shop/redact and
// customers/data_request (ingest/redaction.h): one RedactionListener per
// engine that keeps per-customer state, registered with the Shopify
// translator by api::Engine. What each forgets and exports is in
// docs/privacy.md.
//
//   "recommend"       recommendations' user history, cart, purchases and
//                     sessions (search personalisation reads these too)
//   "fraud"           fraud windows of the customer, their email and their
//                     orders; the orders' features, labels and scores
//   "customer_value"  the RFM customer value behind admission priorities,
//                     and the signals of their sessions
//   "stats"           the hashes of their user and session ids in the
//                     shop's distinct counts
//
// Called on the shop's log apply thread; each engine takes its own locks, so
// HTTP readers see the customer either fully present or gone.

#include <string>
#include <string_view>

#include "api/shop_engines.h"
#include "fraud/fraud_hub.h"
#include "ingest/redaction.h"
#include "ingest/shop_stats.h"
#include "overload/customer_value.h"

namespace storepilot::api {

class RecommendPrivacy : public ingest::RedactionListener {
 public:
  // `engines` must outlive this.
  explicit RecommendPrivacy(ShopEngines* engines) : engines_(engines) {}
  std::string name() const override { return "recommend"; }
  void OnCustomerRedacted(std::string_view shop, const ingest::CustomerRef& customer) override;
  void OnShopRedacted(std::string_view shop) override;
  nlohmann::json ExportCustomer(std::string_view shop,
                                const ingest::CustomerRef& customer) override;

 private:
  ShopEngines* engines_;
};

class FraudPrivacy : public ingest::RedactionListener {
 public:
  // `hub` must outlive this.
  explicit FraudPrivacy(fraud::FraudHub* hub) : hub_(hub) {}
  std::string name() const override { return "fraud"; }
  void OnCustomerRedacted(std::string_view shop, const ingest::CustomerRef& customer) override;
  void OnShopRedacted(std::string_view shop) override;
  nlohmann::json ExportCustomer(std::string_view shop,
                                const ingest::CustomerRef& customer) override;

 private:
  fraud::FraudHub* hub_;
};

// The sessions a customer's events named are known only to the
// recommendation engine: the listeners below ask it (through `engines`)
// before RecommendPrivacy forgets them, so it must be registered last.
ingest::CustomerRef WithSessionsOf(ShopEngines* engines, std::string_view shop,
                                   const ingest::CustomerRef& customer);

class CustomerValuePrivacy : public ingest::RedactionListener {
 public:
  // `model` and `engines` must outlive this.
  CustomerValuePrivacy(overload::CustomerValueModel* model, ShopEngines* engines)
      : model_(model), engines_(engines) {}
  std::string name() const override { return "customer_value"; }
  void OnCustomerRedacted(std::string_view shop, const ingest::CustomerRef& customer) override;
  void OnShopRedacted(std::string_view shop) override;
  nlohmann::json ExportCustomer(std::string_view shop,
                                const ingest::CustomerRef& customer) override;

 private:
  overload::CustomerValueModel* model_;
  ShopEngines* engines_;
};

// Distinct users and sessions per shop (hashes of their ids): "stats"
// exports nothing (it holds no readable data).
class StatsPrivacy : public ingest::RedactionListener {
 public:
  // `stats` and `engines` must outlive this.
  StatsPrivacy(ingest::ShopStats* stats, ShopEngines* engines)
      : stats_(stats), engines_(engines) {}
  std::string name() const override { return "stats"; }
  void OnCustomerRedacted(std::string_view shop, const ingest::CustomerRef& customer) override;
  void OnShopRedacted(std::string_view shop) override { stats_->ForgetShop(std::string(shop)); }

 private:
  ingest::ShopStats* stats_;
  ShopEngines* engines_;
};

}  // namespace storepilot::api

#endif  // STOREPILOT_API_PRIVACY_LISTENERS_H_
