// libFuzzer target: the merchant rule parser and interpreter must reject or
// accept any text without crashing, hanging or reading out of bounds.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fraud/feature_store.h"
#include "fraud/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fraud = storepilot::fraud;
  auto rules = fraud::RuleSet::Parse(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!rules.ok()) return 0;
  fraud::Order order;
  order.order_id = "o";
  order.amount = 120;
  order.ip_country = "FR";
  order.email = "a@b.c";
  std::vector<float> features(fraud::FeatureStore::NumFeatures(), NAN);
  features[0] = 120;
  rules->Evaluate(fraud::RuleInput{&order, 42.0, features.data()});
  return 0;
}
