#include "host/wire/kad/database.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "host/wire/kad/address_book.h"
#include "host/wire/kad/provider_store.h"
#include "host/wire/kad/record_store.h"
#include "host/wire/kad/testing.h"

namespace prowl::kad {
namespace {

using std::chrono::hours;
using testing::bytes;
using testing::test_address;
using testing::test_peer;

const Time kT0 = Time(std::chrono::milliseconds(1714564800250));

class KadDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("prowl-kad-db-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Database> open() {
    std::string error;
    auto db = Database::open(dir_ / "kad.sqlite", &error);
    EXPECT_TRUE(db) << error;
    return db;
  }

  // Fills every store through `db`.
  static void fill(Database& db) {
    RecordStore records(&db);
    ASSERT_TRUE(records.put(bytes("/a"), bytes("value a"), test_peer(1), kT0));
    ASSERT_TRUE(records.put(bytes("/b"), {}, test_peer(2), kT0));
    ASSERT_TRUE(records.put(bytes("/gone"), bytes("x"), test_peer(2), kT0 - kRecordTtl));
    records.expire(kT0);
    ProviderStore providers(&db);
    ASSERT_TRUE(providers.add(bytes("cid"), test_peer(3), kT0));
    providers.start_providing(bytes("mine"), kT0);
    AddressBook book(&db);
    const std::vector<multiaddr::Multiaddr> addresses = {test_address(7), test_address(8)};
    book.add(test_peer(4), addresses, kT0);
  }

  // Checks that a reopened database holds what fill() wrote.
  void check(Database& db) {
    RecordStore records(&db);
    EXPECT_EQ(records.size(), 2u);
    auto a = records.get(bytes("/a"), kT0);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value, bytes("value a"));
    EXPECT_EQ(a->publisher, test_peer(1));
    EXPECT_EQ(a->received, kT0);
    EXPECT_EQ(a->expires, kT0 + kRecordTtl);
    ASSERT_TRUE(records.get(bytes("/b"), kT0));
    EXPECT_TRUE(records.get(bytes("/b"), kT0)->value.empty());
    ProviderStore providers(&db);
    EXPECT_EQ(providers.providers(bytes("cid"), kT0, 5), std::vector<identity::PeerId>{test_peer(3)});
    EXPECT_EQ(providers.providers(bytes("cid"), kT0 + kProviderTtl, 5).size(), 0u);
    EXPECT_EQ(providers.due_for_republish(kT0 + kProviderRepublishInterval),
              std::vector<std::vector<uint8_t>>{bytes("mine")});
    AddressBook book(&db);
    auto peer = book.find(test_peer(4));
    ASSERT_TRUE(peer);
    EXPECT_EQ(peer->addresses, (std::vector<multiaddr::Multiaddr>{test_address(7), test_address(8)}));
    EXPECT_EQ(peer->last_seen, kT0);
  }

  std::filesystem::path dir_;
};

TEST_F(KadDatabase, StoresSurviveACleanRestart) {
  {
    auto db = open();
    ASSERT_TRUE(db);
    fill(*db);
  }
  auto db = open();
  ASSERT_TRUE(db);
  check(*db);
}

TEST_F(KadDatabase, StoresSurviveTheProcessDyingWithoutClosing) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string error;
    auto db = Database::open(dir_ / "kad.sqlite", &error);
    if (!db) ::_exit(2);
    fill(*db);
    ::_exit(::testing::Test::HasFailure() ? 3 : 0);  // no destructor, no sqlite3_close
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "kad.sqlite-wal"));  // not checkpointed on close
  auto db = open();
  ASSERT_TRUE(db);
  check(*db);
}

TEST_F(KadDatabase, DeletesPersist) {
  {
    auto db = open();
    fill(*db);
    RecordStore records(db.get());
    records.expire(kT0 + kRecordTtl);
    ProviderStore providers(db.get());
    providers.stop_providing(bytes("mine"));
    providers.expire(kT0 + kProviderTtl);
    AddressBook book(db.get());
    book.remove(test_peer(4));
  }
  auto db = open();
  EXPECT_TRUE(db->load_records().empty());
  EXPECT_TRUE(db->load_providers().empty());
  EXPECT_TRUE(db->load_local_provides().empty());
  EXPECT_TRUE(db->load_peers().empty());
}

TEST_F(KadDatabase, RefusesANewerSchemaAndUnopenableFiles) {
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "kad.sqlite").c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  std::string error;
  EXPECT_FALSE(Database::open(dir_ / "kad.sqlite", &error));
  EXPECT_NE(error.find("schema version 99 is newer than 1"), std::string::npos) << error;
  EXPECT_FALSE(Database::open(dir_ / "missing" / "kad.sqlite", &error));
  EXPECT_NE(error.find("missing/kad.sqlite"), std::string::npos) << error;
}

TEST_F(KadDatabase, UsesWalAndRecordsItsSchemaVersion) {
  auto db = open();
  ASSERT_TRUE(db);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "kad.sqlite").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), Database::kSchemaVersion);
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

}  // namespace
}  // namespace prowl::kad
