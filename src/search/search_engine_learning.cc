// SearchEngine's learned ranking: the query-conversion signals fed from the
// log, and training and serving of the learning-to-rank model.
#include <algorithm>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "search/search_engine.h"

namespace storepilot::search {
namespace {

constexpr size_t kValidationNdcgDepth = 10;

}  // namespace

std::string SearchEngine::QueryKey(std::string_view query) const {
  std::vector<Token> tokens = analyzer_->Analyze(query);
  const bool only_stop_words =
      std::all_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.stop_word; });
  std::string key;
  for (const Token& token : tokens) {
    if (token.stop_word && !only_stop_words) continue;
    if (!key.empty()) key += ' ';
    key += token.term;
  }
  return key;
}

void SearchEngine::RecordServed(const std::string& request_id, std::string_view query,
                                std::vector<std::string> products, int64_t time_ms) {
  const std::string key = QueryKey(query);
  absl::MutexLock lock(&signals_mu_);
  signals_.Served(request_id, query, key, std::move(products), time_ms);
}

bool SearchEngine::RecordClick(const std::string& request_id, const std::string& product_id,
                               const std::string& session_id, int64_t time_ms) {
  absl::MutexLock lock(&signals_mu_);
  if (!signals_.Click(request_id, product_id, session_id, time_ms)) return false;
  learning_.store(true, std::memory_order_release);
  return true;
}

bool SearchEngine::RecordConversion(const std::string& session_id,
                                    const std::string& product_id, int64_t time_ms) {
  absl::MutexLock lock(&signals_mu_);
  return signals_.Conversion(session_id, product_id, time_ms);
}

void SearchEngine::ForgetSessions(const std::vector<std::string>& session_ids) {
  absl::MutexLock lock(&signals_mu_);
  signals_.ForgetSessions(session_ids);
}

void SearchEngine::ForgetAllSignals() {
  absl::MutexLock lock(&signals_mu_);
  signals_.Clear();
  ranker_.reset();
  ranker_status_ = RankerStatus{};
}

QuerySignalsStats SearchEngine::SignalStats() const {
  absl::ReaderMutexLock lock(&signals_mu_);
  return signals_.Stats();
}

RankerStatus SearchEngine::Ranker() const {
  absl::ReaderMutexLock lock(&signals_mu_);
  return ranker_status_;
}

void SearchEngine::ApplyLearned(const ParsedQuery& parsed, const std::string& key,
                                std::vector<Candidate>* ranked,
                                SearchResponse* response) const {
  absl::ReaderMutexLock lock(&signals_mu_);
  SignalView view;
  view.signal = signals_.Find(key, &view.decay);
  view.prior = options_.learned.conversion_prior;
  LearnedRerank(index_, parsed, view, ranker_.get(), options_.learned, ranked, nullptr);
  response->conversion_boost = view.signal != nullptr;
  response->ranker_version = ranker_ ? ranker_status_.version : 0;
}

LtrGroup SearchEngine::GroupFor(const ServedSearch& served, const LtrModel* model,
                                bool skip_above) const {
  LtrGroup group;
  size_t last_click = served.products.size();
  if (skip_above) {
    last_click = 0;
    for (size_t i = 0; i < served.grades.size(); ++i) {
      if (served.grades[i] > 0) last_click = i;
    }
  }
  absl::flat_hash_map<absl::string_view, size_t> position;
  for (size_t i = 0; i <= last_click && i < served.products.size(); ++i) {
    position.emplace(served.products[i], i);
  }
  SearchRequest request;
  request.query = served.query;
  absl::ReaderMutexLock lock(&mu_);
  const CompiledFilters filters(index_, request.filters);
  SearchResponse response;
  ParsedQuery parsed;
  std::vector<Candidate> ranked =
      Retrieve(request, filters, options_.learned.depth, &response, &parsed);
  std::vector<RerankedRow> rows;
  {
    absl::ReaderMutexLock signals_lock(&signals_mu_);
    SignalView view;
    view.signal = signals_.Find(served.key, &view.decay);
    view.prior = options_.learned.conversion_prior;
    LearnedRerank(index_, parsed, view, model, options_.learned, &ranked, &rows);
  }
  for (const RerankedRow& row : rows) {  // In the order of the ranking in service.
    auto it = position.find(index_.doc(row.doc).product_id);
    if (it == position.end()) continue;
    group.features.insert(group.features.end(), row.features.begin(), row.features.end());
    group.grades.push_back(served.grades[it->second]);
  }
  const auto [lo, hi] = std::minmax_element(group.grades.begin(), group.grades.end());
  if (group.rows() < 2 || *lo == *hi) return {};
  return group;
}

absl::StatusOr<RankerTrainingReport> SearchEngine::TrainRanker(
    const RankerTrainingOptions& options, int64_t now_ms) {
  std::vector<ServedSearch> labelled;
  std::shared_ptr<const LtrModel> current;
  RankerTrainingReport report;
  {
    absl::ReaderMutexLock lock(&signals_mu_);
    labelled = signals_.LabelledSearches();
    current = ranker_;
    report.version = ranker_status_.version;
  }
  report.labelled_searches = labelled.size();
  if (labelled.size() < std::max<size_t>(options.min_labelled_searches, 2)) {
    return absl::FailedPreconditionError(
        absl::StrCat(labelled.size(), " searches with a click; training needs ",
                     std::max<size_t>(options.min_labelled_searches, 2)));
  }
  const size_t held_out = std::clamp<size_t>(
      static_cast<size_t>(labelled.size() * options.validation_fraction), 1,
      labelled.size() - 1);
  std::vector<LtrGroup> train, validation;
  for (size_t i = 0; i < labelled.size(); ++i) {
    const bool validating = i + held_out >= labelled.size();
    LtrGroup group = GroupFor(labelled[i], current.get(), /*skip_above=*/!validating);
    if (group.rows() == 0) continue;
    (validating ? validation : train).push_back(std::move(group));
  }
  report.training_searches = train.size();
  report.validation_searches = validation.size();
  if (train.empty() || validation.empty()) {
    report.reason = "no searches whose results have different grades";
    return report;
  }
  if (options.shuffle_training_labels) {
    std::mt19937_64 rng(options.train.seed);
    for (LtrGroup& g : train) std::shuffle(g.grades.begin(), g.grades.end(), rng);
  }
  auto model = LtrModel::Train(train, options.train);
  if (!model.ok()) {
    report.reason = std::string(model.status().message());
    return report;
  }
  std::vector<std::vector<double>> serving(validation.size()), candidate(validation.size());
  for (size_t g = 0; g < validation.size(); ++g) {
    for (size_t r = 0; r < validation[g].rows(); ++r) {
      serving[g].push_back(-static_cast<double>(r));  // Rows are in serving order.
      candidate[g].push_back(
          (*model)->Score(validation[g].features.data() + r * kLtrFeatureCount));
    }
  }
  report.serving_ndcg = MeanNdcg(validation, serving, kValidationNdcgDepth);
  report.validation_ndcg = MeanNdcg(validation, candidate, kValidationNdcgDepth);
  if (report.validation_ndcg < report.serving_ndcg) {
    report.reason = "validation nDCG@10 below the ranking in service";
    return report;
  }
  absl::MutexLock lock(&signals_mu_);
  ranker_ = std::shared_ptr<const LtrModel>(std::move(*model));
  ranker_status_.version += 1;
  ranker_status_.trained_at_ms = now_ms;
  ranker_status_.training_searches = report.training_searches;
  ranker_status_.validation_searches = report.validation_searches;
  ranker_status_.validation_ndcg = report.validation_ndcg;
  ranker_status_.serving_ndcg = report.serving_ndcg;
  report.version = ranker_status_.version;
  report.accepted = true;
  learning_.store(true, std::memory_order_release);
  return report;
}

}  // namespace storepilot::search
