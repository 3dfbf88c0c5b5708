#ifndef STOREPILOT_INGEST_TESTDATA_SHOPIFY_PAYLOADS_H_
#define STOREPILOT_INGEST_TESTDATA_SHOPIFY_PAYLOADS_H_

// Realistic Shopify webhook bodies (REST resource JSON, API 2025-10 shape),
// written for storepilot's tests. Customer 7001234567 / ada.lovelace@example.org
// is the one the privacy tests redact; customer 7009999999 must survive.

namespace storepilot::testdata {

inline constexpr char kOrderCreate[] = R"js({
  "id": 5550001001, "admin_graphql_api_id": "gid://shopify/Order/5550001001",
  "name": "#1001", "order_number": 1001,
  "email": "Ada.Lovelace@Example.org", "contact_email": "Ada.Lovelace@Example.org",
  "created_at": "2026-11-27T10:00:00-05:00", "updated_at": "2026-11-27T10:00:05-05:00",
  "processed_at": "2026-11-27T10:00:00-05:00",
  "currency": "USD", "presentment_currency": "USD",
  "subtotal_price": "149.00", "total_discounts": "10.00", "total_tax": "11.92",
  "total_price": "150.92", "financial_status": "paid", "fulfillment_status": null,
  "cancelled_at": null, "cancel_reason": null,
  "browser_ip": "203.0.113.77", "landing_site": "/products/linen-shirt",
  "cart_token": "c1-9f8e7d6c5b4a", "checkout_token": "ck-1a2b3c4d5e6f",
  "client_details": {"browser_ip": "203.0.113.77", "accept_language": "en-US,en;q=0.9",
                     "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)",
                     "session_hash": null, "browser_width": 390, "browser_height": 844},
  "discount_codes": [{"code": "BF10", "amount": "10.00", "type": "fixed_amount"}],
  "customer": {"id": 7001234567, "email": "ada.lovelace@example.org", "first_name": "Ada",
               "last_name": "Lovelace", "orders_count": 3, "total_spent": "420.50",
               "phone": "+15555550123", "tags": "vip, newsletter"},
  "billing_address": {"first_name": "Ada", "last_name": "Lovelace",
                      "address1": "12 St James's Square", "city": "New York", "zip": "10001",
                      "province_code": "NY", "country_code": "US", "phone": "+15555550123",
                      "latitude": 40.7506, "longitude": -73.9972},
  "shipping_address": {"first_name": "Ada", "last_name": "Lovelace",
                       "address1": "12 St James's Square", "city": "New York", "zip": "10001",
                       "province_code": "NY", "country_code": "US",
                       "latitude": 40.7506, "longitude": -73.9972},
  "line_items": [
    {"id": 13001, "product_id": 8001, "variant_id": 9001, "title": "Linen Shirt",
     "variant_title": "M / White", "sku": "LS-M-W", "quantity": 2, "price": "49.50",
     "total_discount": "0.00", "vendor": "Northwind", "requires_shipping": true},
    {"id": 13002, "product_id": 8002, "variant_id": 9011, "title": "Canvas Tote",
     "variant_title": null, "sku": "CT-1", "quantity": 1, "price": "50.00",
     "total_discount": "10.00", "vendor": "Northwind", "requires_shipping": true}
  ],
  "shipping_lines": [{"code": "Standard", "price": "0.00", "title": "Standard"}],
  "refunds": []
})js";

// The same customer's second order, and another customer's order.
inline constexpr char kOrderCreate2[] = R"js({
  "id": 5550001002, "email": "ada.lovelace@example.org",
  "created_at": "2026-11-28T09:00:00Z", "updated_at": "2026-11-28T09:00:00Z",
  "currency": "USD", "total_price": "24.00", "subtotal_price": "24.00",
  "financial_status": "paid", "browser_ip": "203.0.113.77",
  "customer": {"id": 7001234567, "email": "ada.lovelace@example.org", "orders_count": 4},
  "line_items": [{"id": 13003, "product_id": 8003, "variant_id": 9021, "title": "Socks",
                  "quantity": 3, "price": "8.00"}],
  "billing_address": {"address1": "12 St James's Square", "city": "New York",
                      "country_code": "US", "zip": "10001"}
})js";

inline constexpr char kOtherOrder[] = R"js({
  "id": 5550002001, "email": "grace.hopper@example.net",
  "created_at": "2026-11-27T11:00:00Z", "updated_at": "2026-11-27T11:00:00Z",
  "currency": "USD", "total_price": "99.00", "financial_status": "paid",
  "browser_ip": "198.51.100.4",
  "customer": {"id": 7009999999, "email": "grace.hopper@example.net", "orders_count": 1},
  "line_items": [{"id": 14001, "product_id": 8001, "variant_id": 9002, "title": "Linen Shirt",
                  "quantity": 1, "price": "49.50"},
                 {"id": 14002, "product_id": 8004, "variant_id": 9031, "title": "Belt",
                  "quantity": 1, "price": "49.50"}],
  "shipping_address": {"address1": "1 Navy Yard", "city": "Arlington", "country_code": "US"}
})js";

inline constexpr char kRefundCreate[] = R"js({
  "id": 880001, "order_id": 5550001001, "created_at": "2026-11-29T12:00:00Z",
  "note": "damaged", "restock": true,
  "refund_line_items": [{"id": 1, "line_item_id": 13002, "quantity": 1, "subtotal": 40.0}],
  "transactions": [{"id": 4401, "order_id": 5550001001, "kind": "refund",
                    "status": "success", "amount": "40.00", "currency": "USD"}]
})js";

inline constexpr char kProductV1[] = R"js({
  "id": 8001, "title": "Linen Shirt", "body_html": "<p>Breathable linen.</p>",
  "vendor": "Northwind", "product_type": "Shirts", "handle": "linen-shirt",
  "status": "active", "tags": "summer, linen,  bestseller",
  "created_at": "2026-10-01T08:00:00Z", "updated_at": "2026-11-20T08:00:00Z",
  "variants": [
    {"id": 9001, "product_id": 8001, "title": "M / White", "price": "49.50", "sku": "LS-M-W",
     "inventory_item_id": 7701, "inventory_quantity": 10, "compare_at_price": "59.00"},
    {"id": 9002, "product_id": 8001, "title": "L / White", "price": "52.00", "sku": "LS-L-W",
     "inventory_item_id": 7702, "inventory_quantity": 4, "compare_at_price": null}
  ],
  "images": [{"id": 1, "src": "https://cdn.shopify.com/s/files/linen-shirt.jpg"}],
  "image": {"id": 1, "src": "https://cdn.shopify.com/s/files/linen-shirt.jpg"}
})js";

// A newer version (price change, new tag) and an older one delivered late.
inline constexpr char kProductV2[] = R"js({
  "id": 8001, "title": "Linen Shirt (Relaxed)", "body_html": "<p>Breathable linen.</p>",
  "vendor": "Northwind", "product_type": "Shirts", "handle": "linen-shirt",
  "status": "active", "tags": "summer, linen, sale",
  "updated_at": "2026-11-25T08:00:00Z",
  "variants": [
    {"id": 9001, "price": "39.50", "sku": "LS-M-W", "inventory_item_id": 7701,
     "inventory_quantity": 8},
    {"id": 9002, "price": "42.00", "sku": "LS-L-W", "inventory_item_id": 7702,
     "inventory_quantity": 4}
  ],
  "images": [{"src": "https://cdn.shopify.com/s/files/linen-shirt-2.jpg"}]
})js";

inline constexpr char kProductOld[] = R"js({
  "id": 8001, "title": "Linen Shirt (old)", "vendor": "Northwind", "product_type": "Shirts",
  "updated_at": "2026-11-22T08:00:00Z",
  "variants": [{"id": 9001, "price": "99.00", "inventory_item_id": 7701, "inventory_quantity": 1}]
})js";

inline constexpr char kInventoryLevel[] = R"js({
  "inventory_item_id": 7702, "location_id": 6601, "available": 0,
  "updated_at": "2026-11-26T09:00:00Z", "admin_graphql_api_id": "gid://shopify/InventoryLevel/1"
})js";

inline constexpr char kCartCreate[] = R"js({
  "id": "c1-9f8e7d6c5b4a", "token": "c1-9f8e7d6c5b4a", "note": null,
  "updated_at": "2026-11-27T09:50:00Z", "created_at": "2026-11-27T09:50:00Z",
  "line_items": [{"id": 9001, "product_id": 8001, "variant_id": 9001, "quantity": 1,
                  "price": "49.50", "title": "Linen Shirt"}]
})js";

inline constexpr char kCartUpdate[] = R"js({
  "id": "c1-9f8e7d6c5b4a", "token": "c1-9f8e7d6c5b4a",
  "updated_at": "2026-11-27T09:55:00Z", "created_at": "2026-11-27T09:50:00Z",
  "line_items": [{"id": 9001, "product_id": 8001, "variant_id": 9001, "quantity": 2,
                  "price": "49.50", "title": "Linen Shirt"},
                 {"id": 9011, "product_id": 8002, "variant_id": 9011, "quantity": 1,
                  "price": "50.00", "title": "Canvas Tote"}]
})js";

inline constexpr char kCheckoutCreate[] = R"js({
  "id": 31337, "token": "ck-1a2b3c4d5e6f", "cart_token": "c1-9f8e7d6c5b4a",
  "email": "ada.lovelace@example.org", "currency": "USD",
  "created_at": "2026-11-27T09:58:00Z", "updated_at": "2026-11-27T09:58:00Z",
  "customer": {"id": 7001234567, "email": "ada.lovelace@example.org"},
  "line_items": [{"product_id": 8001, "variant_id": 9001, "quantity": 2, "price": "49.50"},
                 {"product_id": 8002, "variant_id": 9011, "quantity": 1, "price": "50.00"}]
})js";

inline constexpr char kCustomerUpdate[] = R"js({
  "id": 7001234567, "email": "ada.lovelace@example.org", "first_name": "Ada",
  "last_name": "Lovelace", "phone": "+15555550123", "orders_count": 3,
  "total_spent": "420.50", "tags": "vip, newsletter", "state": "enabled",
  "created_at": "2025-01-01T00:00:00Z", "updated_at": "2026-11-27T10:01:00Z",
  "default_address": {"address1": "12 St James's Square", "city": "New York", "country_code": "US"}
})js";

inline constexpr char kOtherCustomer[] = R"js({
  "id": 7009999999, "email": "grace.hopper@example.net", "orders_count": 1,
  "total_spent": "99.00", "tags": "", "updated_at": "2026-11-27T11:01:00Z"
})js";

inline constexpr char kDataRequest[] = R"js({
  "shop_id": 954889, "shop_domain": "northwind.myshopify.com",
  "orders_requested": [5550001001, 5550001002],
  "customer": {"id": 7001234567, "email": "ada.lovelace@example.org", "phone": "+15555550123"},
  "data_request": {"id": 9999}
})js";

inline constexpr char kCustomerRedact[] = R"js({
  "shop_id": 954889, "shop_domain": "northwind.myshopify.com",
  "customer": {"id": 7001234567, "email": "ada.lovelace@example.org", "phone": "+15555550123"},
  "orders_to_redact": [5550001001, 5550001002]
})js";

inline constexpr char kShopRedact[] = R"js({"shop_id": 954889, "shop_domain": "northwind.myshopify.com"})js";

}  // namespace storepilot::testdata

#endif  // STOREPILOT_INGEST_TESTDATA_SHOPIFY_PAYLOADS_H_
