// The admin API for shops, and per-shop stats.
#include "api/service.h"
#include "api/status_http.h"
#include "common/crypto.h"

namespace storepilot::api {

void ApiService::CreateShop(CallPtr call) {
  if (absl::Status s = AuthorizeAdmin(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto body = nlohmann::json::parse(call->req.body, nullptr, false);
  if (!body.is_object() || !body.contains("shop") || !body["shop"].is_string()) {
    return call->respond(ErrorResponse(
        absl::InvalidArgumentError("expected {\"shop\": \"name\"}"),
        nlohmann::json::array({{{"field", "shop"}, {"problem", "required string"}}})));
  }
  const std::string shop = body["shop"].get<std::string>();
  if (absl::Status s = ingest::ShopRegistry::ValidateShopName(shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  if (deps_.shops->Exists(shop)) {
    return call->respond(ErrorResponse(absl::AlreadyExistsError("shop exists: " + shop)));
  }
  const std::string token = "spt_" + RandomHex(24);
  ingest::ShopInfo info{shop, Sha256Hex(token), "whsec_" + RandomHex(24),
                        deps_.clock->NowMillis()};
  store::AppendItem item;
  item.type = store::RecordType::kShopCreate;
  item.dedup_key = "shop-create";  // two concurrent creations: one wins
  item.payload = ingest::ShopRegistry::EncodeCreate(info);
  std::vector<store::AppendItem> items;
  items.push_back(std::move(item));
  deps_.log->Append(
      shop, std::move(items),
      [call, shop, token, secret = info.webhook_secret](absl::StatusOr<store::AppendResult> r) {
        if (!r.ok()) return call->respond(ErrorResponse(r.status()));
        if (r->duplicates > 0) {
          return call->respond(ErrorResponse(absl::AlreadyExistsError("shop exists: " + shop)));
        }
        call->respond(JsonResponse(
            201, {{"shop", shop}, {"api_token", token}, {"webhook_secret", secret}}));
      },
      /*wait_applied=*/true);
}

void ApiService::ListShops(CallPtr call) {
  if (absl::Status s = AuthorizeAdmin(call->req); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  call->respond(JsonResponse(200, {{"shops", deps_.shops->List()}}));
}

void ApiService::Stats(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  call->respond(JsonResponse(200, {{"events", deps_.log->EventCount(shop)},
                                   {"sessions", deps_.stats->Sessions(shop)},
                                   {"users", deps_.stats->Users(shop)},
                                   {"products", deps_.catalog->Count(shop)}}));
}

}  // namespace storepilot::api
