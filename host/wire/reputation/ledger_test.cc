#include "host/wire/reputation/ledger.h"

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <filesystem>

#include "host/base/identity/key_pair.h"
#include "host/wire/reputation/store.h"

namespace prowl::reputation {
namespace {
using namespace std::chrono_literals;

identity::PeerId peer(uint8_t fill) {
  std::array<uint8_t, 32> seed;
  seed.fill(fill);
  return identity::PeerId::from_public_key(identity::KeyPair::from_seed(seed).public_key());
}

const Time kStart = Time(std::chrono::hours(24 * 365 * 50));

TEST(ReputationTest, DefaultsAreTheDesignsAndValid) {
  Settings s;
  EXPECT_TRUE(s.validate().ok());
  EXPECT_DOUBLE_EQ(s.trust_threshold, 0.7);
  EXPECT_DOUBLE_EQ(s.decay, 0.01);
  EXPECT_EQ(s.failed_attempts, 3u);
  EXPECT_EQ(s.quarantine, 3600s);
  s.weights.performance = 0.5;
  EXPECT_EQ(s.validate().message(), "reputation weights must sum to 1");
  Settings t;
  t.trust_threshold = 1.5;
  EXPECT_EQ(t.validate().code(), StatusCode::kInvalidInput);
}

TEST(ReputationTest, AStrangerIsNeutralAndNotTrusted) {
  Ledger ledger({});
  const Record r = ledger.view(peer(1), kStart);
  EXPECT_DOUBLE_EQ(r.performance, 0.5);
  EXPECT_LT(r.trust(ledger.settings()), ledger.settings().trust_threshold);
  EXPECT_FALSE(ledger.quarantined(peer(1), kStart));
}

TEST(ReputationTest, ValidWorkEarnsTrustSlowly) {
  Ledger ledger({});
  Time t = kStart;
  int to_trust = 0;
  while (ledger.trust(peer(1), t) < 0.7 && to_trust < 1000) {
    ledger.answered(peer(1), true, t);
    ledger.valid_result(peer(1), 1.0, t);
    t += 1s;
    ++to_trust;
  }
  EXPECT_GT(to_trust, 10);  // not on the first few results
  EXPECT_LT(to_trust, 200);
  EXPECT_EQ(ledger.view(peer(1), t).consecutive_valid, static_cast<uint64_t>(to_trust));
}

TEST(ReputationTest, OneInvalidResultEndsTrustAndThreeQuarantine) {
  Ledger ledger({});
  Time t = kStart;
  for (int i = 0; i < 300; ++i) {
    ledger.answered(peer(2), true, t);
    ledger.valid_result(peer(2), 1.0, t);
  }
  ASSERT_GT(ledger.trust(peer(2), t), 0.9);
  ledger.invalid_result(peer(2), t);
  EXPECT_LT(ledger.trust(peer(2), t), 0.7);
  EXPECT_EQ(ledger.view(peer(2), t).consecutive_valid, 0u);
  EXPECT_FALSE(ledger.quarantined(peer(2), t));
  ledger.invalid_result(peer(2), t);
  EXPECT_FALSE(ledger.quarantined(peer(2), t));
  ledger.invalid_result(peer(2), t);
  EXPECT_TRUE(ledger.quarantined(peer(2), t));
  EXPECT_TRUE(ledger.quarantined(peer(2), t + 3599s));
  EXPECT_FALSE(ledger.quarantined(peer(2), t + 3600s));
  // An honest peer beside it is untouched.
  EXPECT_FALSE(ledger.quarantined(peer(3), t));
}

TEST(ReputationTest, LostTasksCostReliabilityButNeverQuarantine) {
  Ledger ledger({});
  Time t = kStart;
  for (int i = 0; i < 10; ++i) ledger.lost_task(peer(4), t);
  const Record r = ledger.view(peer(4), t);
  EXPECT_LT(r.reliability, 0.01);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.5);
  EXPECT_FALSE(ledger.quarantined(peer(4), t));
}

TEST(ReputationTest, DecaysTowardNeutral) {
  Ledger ledger({});
  ledger.invalid_result(peer(5), kStart);
  const double low = ledger.view(peer(5), kStart).accuracy;
  const double later = ledger.view(peer(5), kStart + 100h).accuracy;
  EXPECT_LT(low, later);
  EXPECT_LT(later, 0.5);
  // 0.01 per hour: after 100 h, 0.99^100 = 36.6% of the distance remains.
  EXPECT_NEAR(0.5 - later, (0.5 - low) * 0.366, 0.001);
}

TEST(ReputationTest, TheStoreKeepsRecordsAcrossRestarts) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("prowl_reputation_test_" + std::to_string(::getpid()) + ".sqlite");
  std::filesystem::remove(file);
  std::string error;
  {
    Book book({}, Store::open(file, &error));
    for (int i = 0; i < 3; ++i) book.invalid_result(peer(6), kStart);
    book.valid_result(peer(7), 0.8, kStart);
    ASSERT_TRUE(book.ledger().quarantined(peer(6), kStart));
  }
  auto store = Store::open(file, &error);
  ASSERT_NE(store, nullptr) << error;
  Book book({}, std::move(store));
  EXPECT_TRUE(book.ledger().quarantined(peer(6), kStart + 10s));
  EXPECT_EQ(book.ledger().view(peer(6), kStart).invalid, 3u);
  EXPECT_EQ(book.ledger().view(peer(7), kStart).valid, 1u);
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");
}

TEST(ReputationTest, AStoreWrittenByANewerSchemaIsRefused) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("prowl_reputation_newer_" + std::to_string(::getpid()) + ".sqlite");
  std::filesystem::remove(file);
  std::string error;
  { ASSERT_NE(Store::open(file, &error), nullptr); }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  EXPECT_EQ(Store::open(file, &error), nullptr);
  EXPECT_NE(error.find("schema version 99 is newer than 1"), std::string::npos) << error;
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace prowl::reputation
