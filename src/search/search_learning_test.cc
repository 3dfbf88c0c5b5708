// The learned ranking stages on small hand-made catalogs with synthetic
// click logs: the query-conversion signal, learning to rank, the validation
// gate, and rebuilding the same state by replaying the same records.
#include <algorithm>
#include <cstdint>
#include <map>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "search/search_engine.h"

namespace storepilot::search {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;

Product Item(std::string id, std::string title, double price) {
  Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.price = price;
  return p;
}

std::vector<std::string> Ids(const SearchResponse& r) {
  std::vector<std::string> out;
  for (const SearchHit& hit : r.hits) out.push_back(hit.product_id);
  return out;
}

size_t Position(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) - ids.begin();
}

// One synthetic shopper: searches `query`, gets the served list recorded as
// the server's kSearchServed record would, clicks what `choose` picks from
// the list ("" for nothing) and, if `buy`, purchases it.
class Simulator {
 public:
  explicit Simulator(SearchEngine* engine) : engine_(engine) {}

  void Search(const std::string& query,
              const std::function<std::string(const std::vector<std::string>&)>& choose,
              bool buy) {
    SearchRequest request;
    request.query = query;
    request.per_page = 10;
    auto response = engine_->Search(request);
    ASSERT_TRUE(response.ok()) << response.status();
    const std::string rid = absl::StrCat("r", n_);
    const std::string session = absl::StrCat("s", n_);
    const int64_t t = kStartMs + n_ * 60'000;
    ++n_;
    const std::vector<std::string> served = Ids(*response);
    engine_->RecordServed(rid, query, served, t);
    const std::string clicked = choose(served);
    if (clicked.empty()) return;
    EXPECT_TRUE(engine_->RecordClick(rid, clicked, session, t + 1000));
    if (buy) EXPECT_TRUE(engine_->RecordConversion(session, clicked, t + 5000));
  }

 private:
  SearchEngine* engine_;
  int n_ = 0;
};

std::function<std::string(const std::vector<std::string>&)> Always(std::string id) {
  return [id](const std::vector<std::string>& served) {
    return Position(served, id) < served.size() ? id : std::string();
  };
}

TEST(QuerySignals, AttributesClicksAndSessionConversions) {
  QuerySignals signals;
  signals.Served("r1", "oak table", "oak tabl", {"a", "b"}, kStartMs);
  EXPECT_FALSE(signals.Click("unknown", "a", "s1", kStartMs + 1));
  EXPECT_TRUE(signals.Click("r1", "b", "s1", kStartMs + 1));
  EXPECT_FALSE(signals.Conversion("s2", "b", kStartMs + 2));  // Another session.
  EXPECT_FALSE(signals.Conversion("s1", "a", kStartMs + 2));  // Not clicked.
  EXPECT_TRUE(signals.Conversion("s1", "b", kStartMs + 2));
  EXPECT_FALSE(signals.Conversion("s1", "b", kStartMs + 3));  // Converted already.
  double decay = 0;
  const QuerySignal* q = signals.Find("oak tabl", &decay);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(decay, 1.0);
  // Kept decayed to the last event (a couple of milliseconds of decay).
  EXPECT_NEAR(q->searches, 1.0, 1e-6);
  EXPECT_NEAR(q->products.at("b").clicks, 1.0, 1e-6);
  EXPECT_NEAR(q->products.at("b").conversions, 1.0, 1e-6);
  std::vector<ServedSearch> labelled = signals.LabelledSearches();
  ASSERT_EQ(labelled.size(), 1u);
  EXPECT_EQ(labelled[0].grades, (std::vector<uint8_t>{0, 2}));
}

TEST(QuerySignals, ForgetsARedactedShoppersSessions) {
  QuerySignals signals;
  signals.Served("r1", "oak table", "oak tabl", {"a", "b"}, kStartMs);
  EXPECT_TRUE(signals.Click("r1", "a", "s1", kStartMs + 1));
  EXPECT_TRUE(signals.Click("r1", "b", "s2", kStartMs + 1));
  signals.ForgetSessions({"s1"});
  EXPECT_FALSE(signals.Conversion("s1", "a", kStartMs + 2));  // forgotten
  EXPECT_TRUE(signals.Conversion("s2", "b", kStartMs + 2));   // another shopper's
  signals.Clear();
  double decay = 0;
  EXPECT_EQ(signals.Find("oak tabl", &decay), nullptr);
  EXPECT_TRUE(signals.LabelledSearches().empty());
}

TEST(QuerySignals, StaysWithinItsBoundsAndDecays) {
  QuerySignalsOptions options;
  options.max_queries = 2;
  options.max_requests = 3;
  options.half_life_ms = 1000;
  QuerySignals signals(options);
  for (int i = 0; i < 5; ++i) {
    signals.Served(absl::StrCat("r", i), "q", absl::StrCat("q", i), {"a"}, kStartMs + i);
  }
  EXPECT_EQ(signals.Stats().queries, 2u);
  EXPECT_EQ(signals.Stats().requests, 3u);
  EXPECT_FALSE(signals.Click("r0", "a", "", kStartMs + 10));  // Forgotten.
  EXPECT_TRUE(signals.Click("r4", "a", "", kStartMs + 10));
  signals.Served("r9", "q", "q9", {"a"}, kStartMs + 2010);  // Two half-lives later.
  double decay = 0;
  ASSERT_NE(signals.Find("q4", &decay), nullptr);
  EXPECT_NEAR(decay, 0.25, 1e-9);
}

class ConversionSignalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = *SearchEngine::Create(SearchEngineOptions(), &clock_);
    for (const Product& p : {Item("a", "Oak Table", 100), Item("b", "Oak Table with Drawers", 120),
                             Item("c", "Oak Chair", 40), Item("d", "Pine Table", 80)}) {
      ASSERT_TRUE(engine_->Upsert(p).ok());
    }
  }
  std::vector<std::string> Order(const std::string& query) {
    SearchRequest request;
    request.query = query;
    auto response = engine_->Search(request);
    EXPECT_TRUE(response.ok());
    return Ids(*response);
  }
  FakeClock clock_{kStartMs * 1000};
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(ConversionSignalTest, ConsistentClicksAndPurchasesMoveTheProductUp) {
  ASSERT_LT(Position(Order("oak table"), "a"), Position(Order("oak table"), "b"));
  Simulator shoppers(engine_.get());
  // One click is not enough to reorder (the prior) ...
  shoppers.Search("oak table", Always("b"), false);
  EXPECT_LT(Position(Order("oak table"), "a"), Position(Order("oak table"), "b"));
  // ... shoppers who keep clicking and buying b are.
  for (int i = 0; i < 30; ++i) shoppers.Search("oak table", Always("b"), i % 3 == 0);
  EXPECT_LT(Position(Order("oak table"), "b"), Position(Order("oak table"), "a"));
  // The same words, differently written, share the signal; other queries not.
  EXPECT_LT(Position(Order("Oak  TABLES"), "b"), Position(Order("Oak  TABLES"), "a"));
  SearchRequest other;
  other.query = "table";
  auto response = engine_->Search(other);
  ASSERT_TRUE(response.ok());
  EXPECT_FALSE(response->conversion_boost);
}

// 12 kinds of product, 6 of each at different prices; shoppers look at the
// served list top-down and click the cheapest of the first `looked` they see.
class RankerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.learned.conversion_weight = 0;  // The model alone must learn.
    engine_ = *SearchEngine::Create(options_, &clock_);
    const char* kinds[] = {"chair", "table", "lamp",  "sofa",  "desk",  "rug",
                           "shelf", "mirror", "bench", "stool", "clock", "vase"};
    const char* styles[] = {"oak", "walnut", "modern", "rustic", "classic", "small"};
    std::mt19937 rng(7);
    for (const char* kind : kinds) {
      kinds_.push_back(kind);
      for (const char* style : styles) {
        const double price = 20 + static_cast<double>(rng() % 400);
        const std::string id = absl::StrCat(kind, "-", style);
        ASSERT_TRUE(engine_->Upsert(Item(id, absl::StrCat(style, " ", kind), price)).ok());
        price_[id] = price;
      }
    }
  }
  // `n` searches cycling through the kinds.
  void Simulate(int n) {
    for (int i = 0; i < n; ++i) {
      shoppers_.Search(kinds_[next_++ % kinds_.size()],
                       [this](const std::vector<std::string>& served) {
                         std::string best;
                         for (size_t p = 0; p < served.size() && p < 6; ++p) {
                           if (best.empty() || price_[served[p]] < price_[best]) best = served[p];
                         }
                         return best;
                       },
                       false);
    }
  }
  RankerTrainingOptions Training() const {
    RankerTrainingOptions training;
    training.min_labelled_searches = 100;
    return training;
  }

  FakeClock clock_{kStartMs * 1000};
  SearchEngineOptions options_;
  std::unique_ptr<SearchEngine> engine_;
  Simulator shoppers_{nullptr};
  std::vector<std::string> kinds_;
  std::map<std::string, double> price_;
  size_t next_ = 0;
};

TEST_F(RankerTest, TrainsOnlyWhenEnoughSearchesHaveClicksAndThenRanksCheaperFirst) {
  shoppers_ = Simulator(engine_.get());
  Simulate(99);
  auto early = engine_->TrainRanker(Training(), kStartMs);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine_->Ranker().version, 0u);
  Simulate(200);
  auto report = engine_->TrainRanker(Training(), kStartMs + 1);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->accepted) << report->reason;
  EXPECT_EQ(report->labelled_searches, 299u);
  EXPECT_GT(report->validation_ndcg, report->serving_ndcg);
  EXPECT_EQ(engine_->Ranker().version, 1u);
  EXPECT_EQ(engine_->Ranker().trained_at_ms, kStartMs + 1);
  // The model serves: the cheapest chair now comes first.
  SearchRequest request;
  request.query = "chair";
  auto response = engine_->Search(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->ranker_version, 1u);
  std::string cheapest;
  for (const auto& [id, price] : price_) {
    if (id.starts_with("chair-") && (cheapest.empty() || price < price_[cheapest])) cheapest = id;
  }
  EXPECT_EQ(response->hits[0].product_id, cheapest);
}

TEST_F(RankerTest, GateRefusesAModelTrainedOnShuffledLabels) {
  shoppers_ = Simulator(engine_.get());
  Simulate(300);
  RankerTrainingOptions training = Training();
  training.shuffle_training_labels = true;
  auto report = engine_->TrainRanker(training, kStartMs);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->accepted);
  EXPECT_LT(report->validation_ndcg, report->serving_ndcg);
  EXPECT_EQ(engine_->Ranker().version, 0u);
  SearchRequest request;
  request.query = "chair";
  EXPECT_EQ(engine_->Search(request)->ranker_version, 0u);
}

TEST(SearchLearning, ShopWithoutLogsRanksAsBefore) {
  FakeClock clock(kStartMs * 1000);
  auto engine = *SearchEngine::Create(SearchEngineOptions(), &clock);
  ASSERT_TRUE(engine->Upsert(Item("a", "Oak Table", 1)).ok());
  SearchRequest request;
  request.query = "oak table";
  auto response = engine->Search(request);
  ASSERT_TRUE(response.ok());
  EXPECT_FALSE(response->conversion_boost);
  EXPECT_EQ(response->ranker_version, 0u);
  EXPECT_EQ(engine->TrainRanker({}, kStartMs).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace storepilot::search
