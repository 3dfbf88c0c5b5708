#include "catalog/catalog.h"

#include "gtest/gtest.h"

namespace storepilot::catalog {
namespace {

store::LogRecord Upsert(const std::string& shop, const std::string& json,
                        std::string* storage) {
  *storage = json;
  store::LogRecord r;
  r.type = store::RecordType::kProductUpsert;
  r.shop = shop;
  r.payload = *storage;
  return r;
}

TEST(Catalog, UpsertGetDeleteAndNotify) {
  Catalog catalog;
  std::vector<std::string> seen;
  catalog.AddListener([&](const std::string& shop, const std::string& id,
                          std::shared_ptr<const Product> p) {
    seen.push_back(shop + "/" + id + (p ? "+" : "-"));
  });
  std::string buf;
  catalog.Apply(Upsert("s1", R"({"id":"p1","title":"Lamp"})", &buf));
  catalog.Apply(Upsert("s2", R"({"id":"p1","title":"Other"})", &buf));
  ASSERT_NE(catalog.Get("s1", "p1"), nullptr);
  EXPECT_EQ(catalog.Get("s1", "p1")->title, "Lamp");
  EXPECT_EQ(catalog.Get("s2", "p1")->title, "Other");
  EXPECT_EQ(catalog.Count("s1"), 1u);
  store::LogRecord del;
  del.type = store::RecordType::kProductDelete;
  del.shop = "s1";
  del.payload = "p1";
  catalog.Apply(del);
  EXPECT_EQ(catalog.Get("s1", "p1"), nullptr);
  EXPECT_EQ(catalog.Count("s1"), 0u);
  EXPECT_EQ(seen, (std::vector<std::string>{"s1/p1+", "s2/p1+", "s1/p1-"}));
}

TEST(Catalog, OlderUpdateNeverOverwritesNewer) {
  Catalog catalog;
  std::string buf;
  catalog.Apply(Upsert("s", R"({"id":"p","title":"new","updated_at":2000})", &buf));
  catalog.Apply(Upsert("s", R"({"id":"p","title":"old","updated_at":1000})", &buf));
  EXPECT_EQ(catalog.Get("s", "p")->title, "new");
  catalog.Apply(Upsert("s", R"({"id":"p","title":"newer","updated_at":3000})", &buf));
  EXPECT_EQ(catalog.Get("s", "p")->title, "newer");
}

TEST(Catalog, SkipsUnparseableRecords) {
  Catalog catalog;
  std::string buf;
  catalog.Apply(Upsert("s", "{not json", &buf));
  EXPECT_EQ(catalog.Count("s"), 0u);
}

}  // namespace
}  // namespace storepilot::catalog
