#include "catalog_generator.h"

#include <cmath>
#include <random>

namespace storepilot::search::bench {
namespace {

struct Department {
  const char* name;
  std::vector<std::pair<const char*, std::vector<const char*>>> groups;
};

std::vector<Department> Taxonomy() {
  return {
      {"Furniture",
       {{"Living Room", {"Sofa", "Sectional", "Loveseat", "Coffee Table", "Accent Chair",
                         "Recliner", "TV Stand", "Bookcase", "Ottoman", "Console Table"}},
        {"Bedroom", {"Bed", "Headboard", "Dresser", "Nightstand", "Wardrobe", "Bunk Bed",
                     "Daybed", "Vanity"}},
        {"Dining", {"Dining Table", "Dining Chair", "Bar Stool", "Sideboard", "China Cabinet",
                    "Bench"}},
        {"Office", {"Desk", "Office Chair", "Filing Cabinet", "Storage Cabinet"}}}},
      {"Lighting",
       {{"Ceiling", {"Chandelier", "Pendant", "Flush Mount", "Semi Flush Mount",
                     "Ceiling Fan"}},
        {"Lamps", {"Table Lamp", "Floor Lamp", "Desk Lamp", "Lamp Shade"}},
        {"Wall", {"Wall Sconce", "Vanity Light", "Picture Light"}},
        {"Outdoor", {"Outdoor Wall Light", "Path Light", "String Lights"}}}},
      {"Decor",
       {{"Wall Decor", {"Wall Art", "Wall Clock", "Mirror", "Wall Shelf", "Tapestry"}},
        {"Accents", {"Vase", "Candle Holder", "Sculpture", "Decorative Tray", "Planter"}},
        {"Pillows", {"Throw Pillow", "Pillow Cover", "Floor Pillow"}},
        {"Window", {"Curtain", "Blind", "Valance", "Curtain Rod"}}}},
      {"Rugs",
       {{"Area Rugs", {"Area Rug", "Runner Rug", "Round Rug"}},
        {"Outdoor Rugs", {"Outdoor Rug", "Doormat"}}}},
      {"Bed & Bath",
       {{"Bedding", {"Sheet Set", "Comforter", "Duvet Cover", "Quilt", "Blanket",
                     "Mattress Pad", "Pillow"}},
        {"Bath", {"Bath Towel", "Shower Curtain", "Bath Mat", "Towel Bar",
                  "Bathroom Cabinet"}},
        {"Mattresses", {"Mattress", "Box Spring", "Bed Frame"}}}},
      {"Kitchen",
       {{"Cookware", {"Frying Pan", "Saucepan", "Dutch Oven", "Stock Pot", "Wok"}},
        {"Tabletop", {"Dinnerware Set", "Serving Platter", "Mug", "Wine Glass",
                      "Flatware Set", "Serving Bowl"}},
        {"Storage", {"Canister", "Spice Rack", "Bread Box", "Kitchen Cart"}},
        {"Appliances", {"Coffee Maker", "Blender", "Toaster", "Stand Mixer"}}}},
      {"Outdoor",
       {{"Patio Furniture", {"Patio Chair", "Patio Table", "Patio Sofa", "Adirondack Chair",
                             "Chaise Lounge", "Hammock", "Porch Swing"}},
        {"Garden", {"Fountain", "Bird Feeder", "Garden Statue", "Raised Bed", "Trellis"}},
        {"Grills", {"Gas Grill", "Charcoal Grill", "Fire Pit", "Patio Heater"}},
        {"Shade", {"Patio Umbrella", "Gazebo", "Pergola", "Awning"}}}},
      {"Kids",
       {{"Kids Furniture", {"Kids Bed", "Toy Box", "Kids Desk", "Kids Chair", "Crib"}},
        {"Toys", {"Play Tent", "Rocking Horse", "Dollhouse", "Play Kitchen"}}}},
      {"Pet",
       {{"Dog", {"Dog Bed", "Dog Crate", "Dog Bowl", "Dog Gate"}},
        {"Cat", {"Cat Tree", "Cat Bed", "Litter Box", "Cat Feeder"}}}},
      {"Home Improvement",
       {{"Hardware", {"Door Knob", "Door Lever", "Cabinet Pull", "Drawer Knob", "Hinge"}},
        {"Flooring", {"Floor Tile", "Wall Tile", "Vinyl Plank", "Hardwood Flooring"}},
        {"Bathroom", {"Bathroom Faucet", "Kitchen Faucet", "Toilet", "Bathtub",
                      "Vanity Sink"}}}},
  };
}

constexpr const char* kColors[] = {"white", "black", "grey", "beige", "navy", "blue",
                                   "green", "sage", "red", "brown", "gold", "silver",
                                   "ivory", "charcoal", "teal", "blush", "walnut", "natural"};
constexpr const char* kMaterials[] = {"oak", "pine", "walnut", "metal", "steel", "brass",
                                      "velvet", "linen", "cotton", "leather", "wicker",
                                      "rattan", "marble", "glass", "ceramic", "bamboo",
                                      "wool", "jute", "acacia", "iron"};
constexpr const char* kStyles[] = {"modern", "rustic", "farmhouse", "industrial",
                                   "mid century", "coastal", "traditional", "bohemian",
                                   "scandinavian", "vintage", "contemporary", "minimalist"};
constexpr const char* kFeatures[] = {"adjustable", "foldable", "tufted", "upholstered",
                                     "handmade", "reversible", "stackable", "outdoor",
                                     "waterproof", "dimmable", "cordless", "extendable",
                                     "oversized", "compact", "solid"};
constexpr const char* kSyllables[] = {"al", "ber", "cor", "dan", "el", "far", "gil", "har",
                                      "is", "jen", "kal", "lor", "mar", "nel", "or", "per",
                                      "quin", "ros", "sel", "tor", "ul", "ven", "wil", "zan"};
constexpr const char* kFiller[] = {"crafted", "finish", "durable", "easy", "assembly",
                                   "design", "space", "perfect", "room", "home", "quality",
                                   "features", "sturdy", "frame", "soft", "comfortable",
                                   "style", "clean", "includes", "warranty", "dimensions",
                                   "weight", "capacity", "premium", "elegant", "classic"};

template <size_t N>
const char* Pick(const char* const (&list)[N], std::mt19937_64& rng) {
  return list[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string Capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::vector<std::string> MakeBrands(size_t count, std::mt19937_64& rng) {
  std::vector<std::string> brands;
  for (size_t i = 0; i < count; ++i) {
    std::string name = Capitalized(std::string(Pick(kSyllables, rng)) + Pick(kSyllables, rng) +
                                   (rng() % 2 ? Pick(kSyllables, rng) : ""));
    if (rng() % 4 == 0) name += " Home";
    brands.push_back(name);
  }
  return brands;
}

}  // namespace

std::vector<Product> GenerateCatalog(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> brands = MakeBrands(400, rng);
  // Zipf-like brand choice: a few brands carry most of the catalog.
  std::vector<double> brand_weights;
  for (size_t i = 0; i < brands.size(); ++i) brand_weights.push_back(1.0 / (i + 1));
  std::discrete_distribution<size_t> brand_dist(brand_weights.begin(), brand_weights.end());
  struct Leaf {
    const Department* dept;
    const char* group;
    const char* type;
    double log_price;
  };
  const std::vector<Department> taxonomy = Taxonomy();
  std::vector<Leaf> leaves;
  for (const Department& d : taxonomy) {
    for (const auto& [group, types] : d.groups) {
      for (const char* type : types) {
        leaves.push_back({&d, group, type, std::uniform_real_distribution<>(2.5, 6.5)(rng)});
      }
    }
  }
  std::vector<Product> products;
  products.reserve(count);
  std::normal_distribution<> price_noise(0.0, 0.5);
  for (size_t i = 0; i < count; ++i) {
    const Leaf& leaf = leaves[rng() % leaves.size()];
    Product p;
    p.id = "p" + std::to_string(100000 + i);
    p.brand = brands[brand_dist(rng)];
    const std::string color = Pick(kColors, rng);
    const std::string material = Pick(kMaterials, rng);
    const std::string style = Pick(kStyles, rng);
    p.title = p.brand + " " + Capitalized(style) + " " + Capitalized(material) + " " +
              leaf.type;
    if (rng() % 2) p.title += " in " + Capitalized(color);
    if (rng() % 3 == 0) p.title += ", " + std::to_string(20 + rng() % 80) + "\" W";
    p.category = {leaf.dept->name, leaf.group, std::string(leaf.type) + "s"};
    p.product_type = leaf.type;
    for (int w = 0; w < 30; ++w) {
      if (w) p.description += ' ';
      const int kind = static_cast<int>(rng() % 6);
      p.description += kind == 0 ? Pick(kFeatures, rng)
                     : kind == 1 ? Pick(kMaterials, rng)
                                 : Pick(kFiller, rng);
    }
    p.tags = {style, Pick(kFeatures, rng)};
    if (rng() % 5 == 0) p.tags.push_back("sale");
    p.attributes = {{"color", color}, {"material", material}};
    p.price = std::round(std::exp(leaf.log_price + price_noise(rng)) * 100) / 100;
    p.in_stock = rng() % 10 != 0;
    p.created_at_ms = 1'600'000'000'000 + static_cast<int64_t>(rng() % 100'000'000'000);
    p.popularity = std::floor(std::exp(std::normal_distribution<>(1.0, 1.5)(rng)));
    products.push_back(std::move(p));
  }
  return products;
}

std::vector<std::string> GenerateQueries(const std::vector<Product>& catalog, size_t count,
                                         double typo_share, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> queries;
  std::uniform_real_distribution<> unit(0.0, 1.0);
  for (size_t i = 0; i < count; ++i) {
    const Product& p = catalog[rng() % catalog.size()];
    std::string type = p.product_type;
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string query;
    switch (rng() % 4) {
      case 0: query = type; break;
      case 1: query = p.attributes[0].second + " " + type; break;
      case 2: query = p.attributes[1].second + " " + type; break;
      default: query = p.tags[0] + " " + p.attributes[1].second + " " + type; break;
    }
    if (unit(rng) < typo_share) {
      // One edit inside a word of five letters or more.
      std::vector<size_t> starts;
      size_t start = 0;
      for (size_t j = 0; j <= query.size(); ++j) {
        if (j == query.size() || query[j] == ' ') {
          if (j - start >= 5) starts.push_back(start);
          start = j + 1;
        }
      }
      if (!starts.empty()) {
        const size_t at = starts[rng() % starts.size()] + 1 + rng() % 3;
        switch (rng() % 3) {
          case 0: query.erase(at, 1); break;                        // Deletion.
          case 1: std::swap(query[at], query[at + 1]); break;       // Transposition.
          default: query[at] = static_cast<char>('a' + rng() % 26);  // Substitution.
        }
      }
    }
    queries.push_back(query);
  }
  return queries;
}

}  // namespace storepilot::search::bench
