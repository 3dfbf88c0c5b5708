// storepilot_serve_data: writes a realistic shop for the serving benchmark
// (bench/serve_bench.sh): a generated home-goods catalog, shopper events and
// the GET URLs the load generator replays.
//
//   storepilot_serve_data --out DIR [--products 50000] [--events 1000000]
//                         [--shop bench] [--seed 42]
//
// DIR/products-NNN.json   arrays of 5,000 products (POST .../products:batch)
// DIR/events-NNN.ndjson   10,000 events each (POST .../events, NDJSON)
// DIR/recs.urls           recommendation requests (placements mixed, live
//                         sessions and known users, product pages)
// DIR/search.urls         typo-tolerant queries with two facets
//
// Shoppers browse within a category (Zipf-like popularity inside it); 90%
// views, 7% add to cart, 3% purchases; sessions of 2-10 events, 20 s apart.
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "nlohmann/json.hpp"
#include "search/catalog_generator.h"

namespace {

using storepilot::search::Product;
using json = nlohmann::json;

std::string Encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

json ProductJson(const Product& p, std::mt19937_64& rng) {
  json attrs = json::object();
  for (const auto& [k, v] : p.attributes) attrs[k] = v;
  std::normal_distribution<float> g;
  std::vector<float> embedding(16);
  for (float& x : embedding) x = g(rng);
  // The leaf category drives one dimension, so similar products are close.
  embedding[std::hash<std::string>{}(p.category.empty() ? "" : p.category.back()) % 16] += 2;
  return {{"id", p.id},          {"title", p.title},       {"description", p.description},
          {"brand", p.brand},    {"category", p.category}, {"product_type", p.product_type},
          {"tags", p.tags},      {"attributes", attrs},    {"price", p.price},
          {"in_stock", p.in_stock}, {"embedding", embedding}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir, shop = "bench";
  size_t products = 50'000, events = 1'000'000;
  uint64_t seed = 42;
  CLI::App app{"storepilot serving benchmark data"};
  app.add_option("--out", out_dir)->required();
  app.add_option("--products", products);
  app.add_option("--events", events);
  app.add_option("--shop", shop);
  app.add_option("--seed", seed);
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(out_dir);

  std::vector<Product> catalog = storepilot::search::bench::GenerateCatalog(products, seed);
  std::mt19937_64 rng(seed);
  for (size_t b = 0; b * 5000 < catalog.size(); ++b) {
    json arr = json::array();
    for (size_t i = b * 5000; i < std::min(catalog.size(), (b + 1) * 5000); ++i) {
      arr.push_back(ProductJson(catalog[i], rng));
    }
    char name[64];
    std::snprintf(name, sizeof(name), "/products-%03zu.json", b);
    std::ofstream(out_dir + name) << arr.dump();
  }

  // Products grouped by leaf category: a session stays inside one.
  std::map<std::string, std::vector<size_t>> by_category;
  for (size_t i = 0; i < catalog.size(); ++i) {
    by_category[catalog[i].category.empty() ? "" : catalog[i].category.back()].push_back(i);
  }
  std::vector<const std::vector<size_t>*> categories;
  for (const auto& [c, items] : by_category) categories.push_back(&items);
  std::uniform_int_distribution<size_t> cat(0, categories.size() - 1);
  std::uniform_int_distribution<int> len(2, 10), pct(0, 99), user(0, 49'999);
  std::geometric_distribution<int> rank(0.05);
  const char* countries[] = {"DE", "FR", "US", "GB"};
  const char* devices[] = {"mobile", "desktop"};
  // Events end a minute ago, 20 ms apart (1M events span about 5.5 hours).
  int64_t ts = static_cast<int64_t>(std::time(nullptr)) * 1000 - 60'000 -
               static_cast<int64_t>(events) * 20;
  size_t written = 0, file = 0, session = 0;
  std::ofstream out;
  while (written < events) {
    const std::vector<size_t>& items = *categories[cat(rng)];
    const std::string sid = "s" + std::to_string(session);
    const std::string uid = session % 3 == 0 ? "u" + std::to_string(user(rng)) : "";
    ++session;
    for (int k = len(rng); k > 0 && written < events; --k, ++written) {
      if (written % 10'000 == 0) {
        char name[64];
        std::snprintf(name, sizeof(name), "/events-%03zu.ndjson", file++);
        out = std::ofstream(out_dir + name);
      }
      const Product& p = catalog[items[rank(rng) % items.size()]];
      const int roll = pct(rng);
      const char* type = roll < 90 ? "view" : roll < 97 ? "add_to_cart" : "purchase";
      json e = {{"event_id", "e" + std::to_string(written)}, {"type", type}, {"ts", ts},
                {"session_id", sid}, {"product_id", p.id},
                {"context", {{"country", countries[session % 4]}, {"device", devices[session % 2]}}}};
      if (!uid.empty()) e["user_id"] = uid;
      if (std::string(type) == "purchase") {
        e["order_id"] = "o" + std::to_string(written);
        e["quantity"] = 1;
        e["price"] = p.price;
      }
      out << e.dump() << "\n";
      ts += 20;
    }
  }
  out.close();

  // Requests: live sessions (recent ones), users with history, product pages,
  // carts; a quarter cold.
  std::ofstream recs(out_dir + "/recs.urls");
  const char* placements[] = {"home", "product", "cart", "home"};
  std::uniform_int_distribution<size_t> recent(session > 20'000 ? session - 20'000 : 0,
                                               session - 1);
  std::uniform_int_distribution<size_t> any_product(0, catalog.size() - 1);
  for (int i = 0; i < 20'000; ++i) {
    const std::string placement = placements[i % 4];
    std::string url = "/v1/shops/" + shop + "/recommendations?placement=" + placement + "&n=10";
    if (i % 4 == 3) {
      url += "&session_id=cold" + std::to_string(i);
    } else {
      url += "&session_id=s" + std::to_string(recent(rng));
    }
    if (i % 3 == 0) url += "&user_id=u" + std::to_string(user(rng));
    if (placement == "product") url += "&product_id=" + Encode(catalog[any_product(rng)].id);
    recs << url << "\n";
  }
  std::ofstream search(out_dir + "/search.urls");
  for (const std::string& q : storepilot::search::bench::GenerateQueries(catalog, 20'000, 0.3,
                                                                         seed + 1)) {
    search << "/v1/shops/" << shop << "/search?q=" << Encode(q)
           << "&facets=brand,category&per_page=20\n";
  }
  std::printf("{\"products\":%zu,\"events\":%zu,\"sessions\":%zu}\n", catalog.size(), written,
              session);
  return 0;
}
