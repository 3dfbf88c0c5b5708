#include "search/inverted_index.h"

#include <algorithm>
#include <utility>

#include "search/text_normalizer.h"

namespace storepilot::search {
namespace {

constexpr uint32_t kMaxPosition = 0xFFFF;

absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

InvertedIndex::InvertedIndex(const Analyzer* analyzer) : analyzer_(analyzer) {}

std::optional<TermId> InvertedIndex::FindTerm(std::string_view term) const {
  auto it = term_ids_.find(AbslView(term));
  if (it == term_ids_.end()) return std::nullopt;
  return it->second;
}

std::optional<DocId> InvertedIndex::FindDoc(std::string_view product_id) const {
  auto it = doc_ids_.find(AbslView(product_id));
  if (it == doc_ids_.end()) return std::nullopt;
  return it->second;
}

double InvertedIndex::AverageFieldLength(Field field) const {
  if (live_docs_ == 0) return 1.0;
  const double avg =
      static_cast<double>(total_field_length_[FieldIndex(field)]) / live_docs_;
  return avg > 0 ? avg : 1.0;
}

TermId InvertedIndex::InternTerm(const std::string& term) {
  auto [it, inserted] =
      term_ids_.try_emplace(term, static_cast<TermId>(terms_.size()));
  if (inserted) {
    terms_.emplace_back();
    term_text_.push_back(term);
  }
  return it->second;
}

TermId InvertedIndex::WordTerm(std::string word) {
  auto it = word_terms_.find(word);
  if (it != word_terms_.end()) return it->second;
  TermId term = kNoTermId;
  if (!analyzer_->IsStopWord(word)) {
    term = InternTerm(analyzer_->Stem(word));
    lexicon_.Add(word, term);
  }
  word_terms_.emplace(std::move(word), term);
  return term;
}

void InvertedIndex::IndexField(DocId doc, Field field,
                               const std::vector<std::string_view>& texts,
                               DocInfo* info) {
  // (term, position) pairs of the field, grouped by term below.
  std::vector<std::pair<TermId, uint16_t>> occurrences;
  uint32_t base = 0;
  const bool is_title = field == Field::kTitle;
  for (std::string_view text : texts) {
    uint32_t position = base;
    for (std::string& word : NormalizeWords(text)) {
      const uint32_t at = std::min(position++, kMaxPosition);
      const TermId term = WordTerm(std::move(word));
      if (is_title) info->title_terms.push_back(term);
      if (term == kNoTermId) continue;  // A stop-word.
      occurrences.emplace_back(term, static_cast<uint16_t>(at));
    }
    base = position + 1;  // A gap between values stops phrase matches.
  }
  info->field_length[FieldIndex(field)] =
      static_cast<uint16_t>(std::min<size_t>(occurrences.size(), 0xFFFF));
  total_field_length_[FieldIndex(field)] += occurrences.size();
  std::sort(occurrences.begin(), occurrences.end());
  for (size_t i = 0; i < occurrences.size();) {
    const TermId term = occurrences[i].first;
    TermPostings& list = terms_[term];
    if (list.postings.empty() || list.postings.back().doc != doc) {
      ++list.doc_freq;
      info->terms.push_back(term);
    }
    Posting posting{doc, static_cast<uint32_t>(list.positions.size()), 0,
                    static_cast<uint8_t>(field)};
    for (; i < occurrences.size() && occurrences[i].first == term; ++i) {
      list.positions.push_back(occurrences[i].second);
      if (posting.tf < 0xFFFF) ++posting.tf;
    }
    list.postings.push_back(posting);
  }
}

void InvertedIndex::FillFacets(const Product& product, DocInfo* info) {
  auto& pools = pools_;
  auto pool = [&pools](FacetKind kind) -> ValuePool& {
    return pools[static_cast<size_t>(kind)];
  };
  if (!product.brand.empty()) info->brand = pool(FacetKind::kBrand).Intern(product.brand);
  if (!product.product_type.empty()) {
    info->product_type = pool(FacetKind::kProductType).Intern(product.product_type);
  }
  for (const std::string& level : product.category) {
    info->categories.push_back(pool(FacetKind::kCategory).Intern(level));
  }
  for (const std::string& tag : product.tags) {
    info->tags.push_back(pool(FacetKind::kTag).Intern(tag));
  }
  for (const auto& [name, value] : product.attributes) {
    info->attributes.push_back(
        pool(FacetKind::kAttribute).Intern(name + ":" + value));
  }
  info->price = product.price;
  info->in_stock = product.in_stock;
  info->created_at_ms = product.created_at_ms;
  info->popularity = product.popularity;
}

absl::Status InvertedIndex::Upsert(const Product& product) {
  if (product.id.empty()) {
    return absl::InvalidArgumentError("product id must not be empty");
  }
  Remove(product.id);
  const DocId doc = static_cast<DocId>(docs_.size());
  DocInfo info;
  info.product_id = product.id;
  info.title = product.title;
  info.live = true;
  std::vector<std::string_view> attribute_values;
  for (const auto& [name, value] : product.attributes) {
    attribute_values.push_back(value);
  }
  IndexField(doc, Field::kTitle, {product.title}, &info);
  IndexField(doc, Field::kBrand, {product.brand}, &info);
  IndexField(doc, Field::kProductType, {product.product_type}, &info);
  IndexField(doc, Field::kCategory,
             {product.category.begin(), product.category.end()}, &info);
  IndexField(doc, Field::kTags, {product.tags.begin(), product.tags.end()},
             &info);
  IndexField(doc, Field::kAttributes, attribute_values, &info);
  IndexField(doc, Field::kVariants,
             {product.variants.begin(), product.variants.end()}, &info);
  IndexField(doc, Field::kDescription, {product.description}, &info);
  std::sort(info.terms.begin(), info.terms.end());
  info.terms.erase(std::unique(info.terms.begin(), info.terms.end()),
                   info.terms.end());
  FillFacets(product, &info);
  auto append = [this](FacetKind kind, const std::vector<uint32_t>& ids) {
    FacetColumn& column = facet_columns_[static_cast<size_t>(kind)];
    for (uint32_t id : ids) {
      if (id != kNoTermId) column.values.push_back(id);
    }
    column.offsets.push_back(static_cast<uint32_t>(column.values.size()));
  };
  append(FacetKind::kBrand, {info.brand});
  append(FacetKind::kProductType, {info.product_type});
  append(FacetKind::kCategory, info.categories);
  append(FacetKind::kTag, info.tags);
  append(FacetKind::kAttribute, info.attributes);
  field_lengths_.push_back(info.field_length);
  live_.push_back(1);
  docs_.push_back(std::move(info));
  doc_ids_[product.id] = doc;
  ++live_docs_;
  return absl::OkStatus();
}

bool InvertedIndex::Remove(std::string_view product_id) {
  auto it = doc_ids_.find(AbslView(product_id));
  if (it == doc_ids_.end()) return false;
  DocInfo& info = docs_[it->second];
  live_[it->second] = 0;
  doc_ids_.erase(it);
  for (TermId term : info.terms) --terms_[term].doc_freq;
  for (size_t f = 0; f < kFieldCount; ++f) {
    total_field_length_[f] -= info.field_length[f];
  }
  // Keep the terms until Compact() so it knows which lists to purge.
  const std::vector<TermId> terms = std::move(info.terms);
  info = DocInfo();
  info.terms = terms;
  --live_docs_;
  ++dead_postings_docs_;
  return true;
}

void InvertedIndex::Compact() {
  if (dead_postings_docs_ == 0) return;
  std::vector<bool> dirty(terms_.size(), false);
  for (DocInfo& info : docs_) {
    if (info.live) continue;
    for (TermId term : info.terms) dirty[term] = true;
    info.terms = {};
  }
  for (TermId term = 0; term < terms_.size(); ++term) {
    if (!dirty[term]) continue;
    TermPostings& list = terms_[term];
    TermPostings kept;
    kept.doc_freq = list.doc_freq;
    for (const Posting& p : list.postings) {
      if (!docs_[p.doc].live) continue;
      Posting moved = p;
      moved.positions_begin = static_cast<uint32_t>(kept.positions.size());
      kept.positions.insert(kept.positions.end(),
                            list.positions.begin() + p.positions_begin,
                            list.positions.begin() + p.positions_begin + p.tf);
      kept.postings.push_back(moved);
    }
    kept.postings.shrink_to_fit();
    kept.positions.shrink_to_fit();
    list = std::move(kept);
  }
  dead_postings_docs_ = 0;
}

size_t InvertedIndex::MemoryBytes() const {
  size_t bytes = term_ids_.capacity() * (sizeof(std::string) + 8) +
                 terms_.capacity() * sizeof(TermPostings);
  for (const std::string& t : term_text_) bytes += sizeof(std::string) + t.capacity();
  for (const TermPostings& list : terms_) {
    bytes += list.postings.capacity() * sizeof(Posting) +
             list.positions.capacity() * sizeof(uint16_t);
  }
  bytes += docs_.capacity() * sizeof(DocInfo) +
           field_lengths_.capacity() * sizeof(field_lengths_[0]) + live_.capacity();
  for (const FacetColumn& column : facet_columns_) {
    bytes += (column.offsets.capacity() + column.values.capacity()) * sizeof(uint32_t);
  }
  bytes += word_terms_.capacity() * (sizeof(std::string) + sizeof(TermId) + 1);
  for (const DocInfo& d : docs_) {
    bytes += d.product_id.capacity() + d.title.capacity() +
             (d.terms.capacity() + d.title_terms.capacity() +
              d.categories.capacity() + d.tags.capacity() +
              d.attributes.capacity()) * sizeof(uint32_t);
  }
  bytes += doc_ids_.capacity() * (sizeof(std::string) + sizeof(DocId) + 1);
  for (const ValuePool& pool : pools_) bytes += pool.MemoryBytes();
  return bytes + lexicon_.MemoryBytes();
}

}  // namespace storepilot::search
