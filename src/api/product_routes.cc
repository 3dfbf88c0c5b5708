// The catalog API. Writes go through the log and are answered once the
// catalog has applied them, so a GET right after a PUT sees the product.
#include "api/service.h"
#include "api/status_http.h"

namespace storepilot::api {
namespace {

void AppendAndAnswer(store::EventLog* log, const std::string& shop,
                     std::vector<store::AppendItem> items, ApiService::CallPtr call,
                     HttpResponse success) {
  log->Append(
      shop, std::move(items),
      [call, success = std::move(success)](absl::StatusOr<store::AppendResult> r) mutable {
        if (!r.ok()) return call->respond(ErrorResponse(r.status()));
        call->respond(std::move(success));
      },
      /*wait_applied=*/true);
}

store::AppendItem UpsertItem(const catalog::Product& p) {
  store::AppendItem item;
  item.type = store::RecordType::kProductUpsert;
  item.payload = catalog::ProductToJson(p).dump();
  return item;
}

}  // namespace

void ApiService::PutProduct(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto body = nlohmann::json::parse(call->req.body, nullptr, false);
  if (body.is_discarded()) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError("malformed JSON")));
  }
  auto product = catalog::ParseProduct(body, call->Param("id"));
  if (!product.ok()) return call->respond(ErrorResponse(product.status()));
  std::vector<store::AppendItem> items;
  items.push_back(UpsertItem(*product));
  AppendAndAnswer(deps_.log, shop, std::move(items), call,
                  JsonResponse(200, catalog::ProductToJson(*product)));
}

void ApiService::BatchProducts(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto body = nlohmann::json::parse(call->req.body, nullptr, false);
  const nlohmann::json* list = &body;
  if (body.is_object() && body.contains("products")) list = &body["products"];
  if (!list->is_array() || list->empty() || list->size() > deps_.max_batch_events) {
    return call->respond(ErrorResponse(absl::InvalidArgumentError(
        "expected a non-empty array of products, or {\"products\": [...]}")));
  }
  std::vector<store::AppendItem> items;
  nlohmann::json details = nlohmann::json::array();
  for (size_t i = 0; i < list->size(); ++i) {
    auto product = catalog::ParseProduct((*list)[i], "");
    if (!product.ok()) {
      if (details.size() < 100) {
        details.push_back({{"index", i}, {"problem", std::string(product.status().message())}});
      }
      continue;
    }
    items.push_back(UpsertItem(*product));
  }
  if (!details.empty()) {
    return call->respond(ErrorResponse(
        absl::InvalidArgumentError("some products are invalid; none were stored"), details));
  }
  size_t n = items.size();
  AppendAndAnswer(deps_.log, shop, std::move(items), call,
                  JsonResponse(200, {{"accepted", n}}));
}

void ApiService::GetProduct(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  auto product = deps_.catalog->Get(shop, call->Param("id"));
  if (!product) {
    return call->respond(ErrorResponse(absl::NotFoundError("no such product")));
  }
  call->respond(JsonResponse(200, catalog::ProductToJson(*product)));
}

void ApiService::DeleteProduct(CallPtr call) {
  const std::string shop = call->Param("shop");
  if (absl::Status s = AuthorizeShop(call->req, shop); !s.ok()) {
    return call->respond(ErrorResponse(s));
  }
  const std::string id = call->Param("id");
  if (!deps_.catalog->Get(shop, id)) {
    return call->respond(ErrorResponse(absl::NotFoundError("no such product")));
  }
  store::AppendItem item;
  item.type = store::RecordType::kProductDelete;
  item.payload = id;
  std::vector<store::AppendItem> items;
  items.push_back(std::move(item));
  HttpResponse done;
  done.status = 204;
  AppendAndAnswer(deps_.log, shop, std::move(items), call, std::move(done));
}

}  // namespace storepilot::api
