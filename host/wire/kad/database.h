// Persistence of the DHT's state in one SQLite file under the data
// directory (WAL journal, prepared statements, a schema version): stored
// records, provider records, the keys we provide, and known peers with
// their addresses. Each write is its own transaction, so whatever a call
// wrote survives the process dying right after it returns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/base/multiaddr/multiaddr.h"

struct sqlite3;

namespace prowl::kad {

/// A value stored on behalf of the network.
struct StoredRecord {
  std::vector<uint8_t> key;
  std::vector<uint8_t> value;
  identity::PeerId publisher;  ///< the peer that put it (limits are counted per publisher)
  Time received;
  Time expires;
};

/// "`provider` can serve `key`", until `expires`.
struct ProviderRecord {
  std::vector<uint8_t> key;
  identity::PeerId provider;
  Time expires;
};

/// A key this node provides, and when it last announced it.
struct LocalProvide {
  std::vector<uint8_t> key;
  Time published;
};

/// A peer we know how to reach.
struct KnownPeer {
  identity::PeerId id;
  std::vector<multiaddr::Multiaddr> addresses;  ///< most recently learned first
  Time last_seen;
};

/// One open database. Not thread-safe: use it from one executor. Write
/// methods throw std::runtime_error naming the file and SQLite's message.
class Database {
 public:
  /// The schema version this code writes.
  static constexpr int kSchemaVersion = 1;

  /// Opens or creates `file` (its directory must exist), switches it to WAL
  /// and creates the schema. Returns null, with `error` naming the file and
  /// the cause, when it cannot be opened or has a newer schema version.
  static std::unique_ptr<Database> open(const std::filesystem::path& file,
                                        std::string* error = nullptr);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Inserts or replaces the record with this key.
  void save_record(const StoredRecord& record);
  void delete_record(std::span<const uint8_t> key);
  /// Every stored record whose publisher parses as a peer id.
  std::vector<StoredRecord> load_records();

  /// Inserts or replaces the (key, provider) record.
  void save_provider(const ProviderRecord& record);
  void delete_provider(std::span<const uint8_t> key, const identity::PeerId& provider);
  std::vector<ProviderRecord> load_providers();

  /// Inserts or replaces the local provide of this key.
  void save_local_provide(const LocalProvide& provide);
  void delete_local_provide(std::span<const uint8_t> key);
  std::vector<LocalProvide> load_local_provides();

  /// Inserts or replaces the peer and its whole address list.
  void save_peer(const KnownPeer& peer);
  void delete_peer(const identity::PeerId& peer);
  /// Every stored peer whose id parses, with the addresses that parse.
  std::vector<KnownPeer> load_peers();

  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  class Statements;

  Database(std::filesystem::path file, sqlite3* db);

  std::filesystem::path file_;
  sqlite3* db_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace prowl::kad
