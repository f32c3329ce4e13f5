// Reputation records kept in SQLite under the data directory
// (<data>/reputation.sqlite), so a host remembers who lied to it across
// restarts. Each save is its own transaction.
//
// Thread safety: none; use a Store from one thread or executor.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "host/wire/reputation/ledger.h"

struct sqlite3;

namespace prowl::reputation {

class Store {
 public:
  static constexpr int kSchemaVersion = 1;

  /// Opens or creates `file`. Returns null with *error naming the file and
  /// the cause (unreadable, or written by a newer schema).
  static std::unique_ptr<Store> open(const std::filesystem::path& file, std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Writes `record` for `peer`. Throws std::runtime_error naming the file.
  void save(const identity::PeerId& peer, const Record& record);
  /// Every stored record; rows whose peer id no longer parses are skipped.
  std::vector<std::pair<identity::PeerId, Record>> load_all();

 private:
  struct Statements;
  explicit Store(sqlite3* db);
  sqlite3* db_;
  std::unique_ptr<Statements> statements_;
};

/// A Ledger whose every update is written through to a Store.
class Book {
 public:
  /// Loads every record of `store` into a ledger with `settings`.
  /// REQUIRES: settings.validate().ok().
  Book(Settings settings, std::unique_ptr<Store> store);

  const Record& valid_result(const identity::PeerId& peer, double speed, Time now);
  const Record& invalid_result(const identity::PeerId& peer, Time now);
  const Record& lost_task(const identity::PeerId& peer, Time now);
  const Record& answered(const identity::PeerId& peer, bool answered, Time now);

  const Ledger& ledger() const noexcept { return ledger_; }

 private:
  const Record& saved(const identity::PeerId& peer, const Record& record);
  Ledger ledger_;
  std::unique_ptr<Store> store_;
};

}  // namespace prowl::reputation
