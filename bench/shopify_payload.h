#ifndef STOREPILOT_BENCH_SHOPIFY_PAYLOAD_H_
#define STOREPILOT_BENCH_SHOPIFY_PAYLOAD_H_

// The Shopify benchmarks' orders/create body (about 3.3 KB): an order with
// four line items, two addresses, client details, a discount code and a
// nested customer, shaped like Shopify's REST Order resource. Shared by the
// HTTP load generator (storepilot_load --shopify-secret) and the in-process
// translation benchmark (storepilot_shopify_translate), so both measure the
// same bytes.

#include <cstdint>
#include <string>

namespace storepilot::bench {

// The body of order `id`, the `n`-th one of its sender: the customer is
// n % 3000, the products (n * 7 + i * 13) % 5000, the IP 203.0.113.(n % 250).
inline std::string ShopifyOrderBody(const std::string& id, uint64_t n) {
  const std::string customer = std::to_string(n % 3000);
  std::string items;
  for (int i = 0; i < 4; ++i) {
    const uint64_t product = (n * 7 + i * 13) % 5000;
    if (i > 0) items += ",";
    // product * 10 + i, not the digits pasted: product 0 would give "00",
    // which is not JSON.
    items += R"({"id":)" + std::to_string(n * 4 + i) + R"(,"product_id":)" +
             std::to_string(product) + R"(,"variant_id":)" + std::to_string(product * 10 + i) +
             R"(,"title":"Organic cotton crew-neck t-shirt","variant_title":"M / Heather grey",)"
             R"("sku":"TS-CREW-M-GRY","vendor":"Northwind Apparel","quantity":)" +
             std::to_string(1 + i % 3) +
             R"(,"price":"24.90","total_discount":"0.00","requires_shipping":true,)"
             R"("taxable":true,"fulfillment_status":null,"grams":180})";
  }
  const std::string address =
      R"({"first_name":"Jordan","last_name":"Rivera","address1":"221 Market Street",)"
      R"("address2":"Apt 5","city":"San Francisco","zip":"94105","province":"California",)"
      R"("province_code":"CA","country":"United States","country_code":"US",)"
      R"("phone":"+14155550100","latitude":37.7936,"longitude":-122.3965})";
  return R"({"id":")" + id + R"(","name":"#)" + std::to_string(n) +
         R"(","email":"customer)" + customer + R"(@example.com","created_at":"2026-11-27T10:00:00-05:00",)"
         R"("updated_at":"2026-11-27T10:00:05-05:00","processed_at":"2026-11-27T10:00:00-05:00",)"
         R"("currency":"USD","presentment_currency":"USD","subtotal_price":"249.00",)"
         R"("total_discounts":"10.00","total_tax":"19.92","total_price":"258.92",)"
         R"("financial_status":"paid","fulfillment_status":null,"cancelled_at":null,)"
         R"("browser_ip":"203.0.113.)" + std::to_string(n % 250) +
         R"(","landing_site":"/collections/t-shirts?utm_source=newsletter&utm_medium=email",)"
         R"("referring_site":"https://mail.example.com/","cart_token":"c-)" + id +
         R"(","checkout_token":"ck-)" + id +
         R"(","client_details":{"browser_ip":"203.0.113.7","accept_language":"en-US,en;q=0.9",)"
         R"("user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",)"
         R"("browser_width":390,"browser_height":844},)"
         R"("discount_codes":[{"code":"BLACKFRIDAY10","amount":"10.00","type":"fixed_amount"}],)"
         R"("customer":{"id":)" + customer + R"(,"email":"customer)" + customer +
         R"(@example.com","first_name":"Jordan","last_name":"Rivera","orders_count":3,)"
         R"("total_spent":"512.40","tags":"vip, newsletter","phone":"+14155550100"},)"
         R"("billing_address":)" + address + R"(,"shipping_address":)" + address +
         R"(,"line_items":[)" + items +
         R"(],"shipping_lines":[{"code":"Standard","price":"0.00","title":"Standard shipping"}],)"
         R"("tax_lines":[{"title":"CA State Tax","rate":0.08,"price":"19.92"}],"refunds":[]})";
}

}  // namespace storepilot::bench

#endif  // STOREPILOT_BENCH_SHOPIFY_PAYLOAD_H_
