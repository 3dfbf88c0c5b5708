#include "search/inverted_index.h"

#include <memory>

#include "gtest/gtest.h"

namespace storepilot::search {
namespace {

Product Titled(std::string id, std::string title, std::string brand = "") {
  Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.brand = std::move(brand);
  return p;
}

class InvertedIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    analyzer_ = *Analyzer::Create(AnalyzerOptions());
    index_ = std::make_unique<InvertedIndex>(analyzer_.get());
  }
  uint32_t DocFreq(const std::string& word) {
    auto term = index_->FindTerm(analyzer_->Stem(word));
    return term ? index_->postings(*term).doc_freq : 0;
  }
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<InvertedIndex> index_;
};

TEST_F(InvertedIndexTest, RecordsPositionsAndFieldStatistics) {
  Product p = Titled("1", "Oak desk lamp, oak base");
  p.category = {"Lighting", "Desk Lamps"};
  ASSERT_TRUE(index_->Upsert(p).ok());
  auto oak = index_->FindTerm("oak");
  ASSERT_TRUE(oak.has_value());
  const TermPostings& list = index_->postings(*oak);
  ASSERT_EQ(list.postings.size(), 1u);
  EXPECT_EQ(list.postings[0].tf, 2);
  EXPECT_EQ(list.positions[list.postings[0].positions_begin + 1], 3);
  // "lamp" is in the title and (as "lamps") in the category: two postings.
  EXPECT_EQ(index_->postings(*index_->FindTerm("lamp")).postings.size(), 2u);
  EXPECT_DOUBLE_EQ(index_->AverageFieldLength(Field::kTitle), 5.0);
  EXPECT_DOUBLE_EQ(index_->AverageFieldLength(Field::kCategory), 3.0);
}

TEST_F(InvertedIndexTest, UpsertReplacesAndRemoveDeletes) {
  ASSERT_TRUE(index_->Upsert(Titled("1", "red chair")).ok());
  ASSERT_TRUE(index_->Upsert(Titled("2", "red table")).ok());
  EXPECT_EQ(DocFreq("red"), 2u);
  ASSERT_TRUE(index_->Upsert(Titled("1", "blue chair")).ok());
  EXPECT_EQ(index_->live_docs(), 2u);
  EXPECT_EQ(DocFreq("red"), 1u);
  EXPECT_EQ(DocFreq("blue"), 1u);
  EXPECT_TRUE(index_->Remove("2"));
  EXPECT_FALSE(index_->Remove("2"));
  EXPECT_EQ(DocFreq("red"), 0u);
  EXPECT_EQ(index_->live_docs(), 1u);
  EXPECT_DOUBLE_EQ(index_->AverageFieldLength(Field::kTitle), 2.0);
  index_->Compact();
  EXPECT_TRUE(index_->postings(*index_->FindTerm("red")).postings.empty());
  EXPECT_EQ(index_->postings(*index_->FindTerm("chair")).postings.size(), 1u);
  EXPECT_EQ(index_->doc(*index_->FindDoc("1")).title, "blue chair");
}

TEST_F(InvertedIndexTest, RejectsEmptyId) {
  EXPECT_EQ(index_->Upsert(Titled("", "x")).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(InvertedIndexTest, InternsFacetValuesCaseInsensitively) {
  ASSERT_TRUE(index_->Upsert(Titled("1", "a", "ACME")).ok());
  ASSERT_TRUE(index_->Upsert(Titled("2", "b", "acme")).ok());
  EXPECT_EQ(index_->pool(FacetKind::kBrand).size(), 1u);
  EXPECT_EQ(index_->pool(FacetKind::kBrand).display(0), "ACME");
  EXPECT_GT(index_->MemoryBytes(), 0u);
}

}  // namespace
}  // namespace storepilot::search
