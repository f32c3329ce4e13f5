#include "host/wire/kad/database.h"

#include <sqlite3.h>

#include "host/base/sqlite/sqlite.h"

#include <chrono>
#include <stdexcept>

namespace prowl::kad {
using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS records(
  key BLOB PRIMARY KEY, value BLOB NOT NULL, publisher BLOB NOT NULL,
  received_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS providers(
  key BLOB NOT NULL, provider BLOB NOT NULL, expires_ms INTEGER NOT NULL,
  PRIMARY KEY(key, provider));
CREATE TABLE IF NOT EXISTS local_provides(key BLOB PRIMARY KEY, published_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS peers(id BLOB PRIMARY KEY, last_seen_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS peer_addresses(
  peer BLOB NOT NULL, position INTEGER NOT NULL, address BLOB NOT NULL,
  PRIMARY KEY(peer, position));
)sql";

int64_t to_ms(Time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Time from_ms(int64_t ms) {
  return Time(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace

class Database::Statements {
 public:
  explicit Statements(sqlite3* db)
      : begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        save_record(db, "INSERT OR REPLACE INTO records VALUES(?1, ?2, ?3, ?4, ?5)"),
        delete_record(db, "DELETE FROM records WHERE key = ?1"),
        load_records(db, "SELECT key, value, publisher, received_ms, expires_ms FROM records"),
        save_provider(db, "INSERT OR REPLACE INTO providers VALUES(?1, ?2, ?3)"),
        delete_provider(db, "DELETE FROM providers WHERE key = ?1 AND provider = ?2"),
        load_providers(db, "SELECT key, provider, expires_ms FROM providers"),
        save_local_provide(db, "INSERT OR REPLACE INTO local_provides VALUES(?1, ?2)"),
        delete_local_provide(db, "DELETE FROM local_provides WHERE key = ?1"),
        load_local_provides(db, "SELECT key, published_ms FROM local_provides"),
        save_peer(db, "INSERT OR REPLACE INTO peers VALUES(?1, ?2)"),
        delete_peer(db, "DELETE FROM peers WHERE id = ?1"),
        save_address(db, "INSERT INTO peer_addresses VALUES(?1, ?2, ?3)"),
        delete_addresses(db, "DELETE FROM peer_addresses WHERE peer = ?1"),
        load_peers(db, "SELECT id, last_seen_ms FROM peers"),
        load_addresses(db, "SELECT address FROM peer_addresses WHERE peer = ?1 ORDER BY position") {}

  Statement begin, commit, rollback;
  Statement save_record, delete_record, load_records;
  Statement save_provider, delete_provider, load_providers;
  Statement save_local_provide, delete_local_provide, load_local_provides;
  Statement save_peer, delete_peer, save_address, delete_addresses, load_peers, load_addresses;
};

std::unique_ptr<Database> Database::open(const std::filesystem::path& file, std::string* error) {
  sqlite3* db = sqlite::open(file, "kad database", kSchemaVersion, kSchema, error);
  if (db == nullptr) return nullptr;
  return std::unique_ptr<Database>(new Database(file, db));
}

Database::Database(std::filesystem::path file, sqlite3* db)
    : file_(std::move(file)), db_(db), statements_(std::make_unique<Statements>(db)) {}

Database::~Database() {
  statements_.reset();  // finalize every statement before closing
  sqlite3_close(db_);
}

void Database::save_record(const StoredRecord& r) {
  statements_->save_record.bind(1, r.key)
      .bind(2, r.value)
      .bind(3, r.publisher.bytes())
      .bind(4, to_ms(r.received))
      .bind(5, to_ms(r.expires))
      .run();
}

void Database::delete_record(std::span<const uint8_t> key) {
  statements_->delete_record.bind(1, key).run();
}

std::vector<StoredRecord> Database::load_records() {
  std::vector<StoredRecord> out;
  Statement& s = statements_->load_records;
  while (s.step()) {
    auto publisher = identity::PeerId::from_bytes(s.blob(2));
    if (!publisher) continue;
    out.push_back(StoredRecord{s.blob(0), s.blob(1), *publisher, from_ms(s.integer(3)),
                               from_ms(s.integer(4))});
  }
  return out;
}

void Database::save_provider(const ProviderRecord& r) {
  statements_->save_provider.bind(1, r.key).bind(2, r.provider.bytes()).bind(3, to_ms(r.expires)).run();
}

void Database::delete_provider(std::span<const uint8_t> key, const identity::PeerId& provider) {
  statements_->delete_provider.bind(1, key).bind(2, provider.bytes()).run();
}

std::vector<ProviderRecord> Database::load_providers() {
  std::vector<ProviderRecord> out;
  Statement& s = statements_->load_providers;
  while (s.step()) {
    auto provider = identity::PeerId::from_bytes(s.blob(1));
    if (!provider) continue;
    out.push_back(ProviderRecord{s.blob(0), *provider, from_ms(s.integer(2))});
  }
  return out;
}

void Database::save_local_provide(const LocalProvide& provide) {
  statements_->save_local_provide.bind(1, provide.key).bind(2, to_ms(provide.published)).run();
}

void Database::delete_local_provide(std::span<const uint8_t> key) {
  statements_->delete_local_provide.bind(1, key).run();
}

std::vector<LocalProvide> Database::load_local_provides() {
  std::vector<LocalProvide> out;
  Statement& s = statements_->load_local_provides;
  while (s.step()) out.push_back(LocalProvide{s.blob(0), from_ms(s.integer(1))});
  return out;
}

void Database::save_peer(const KnownPeer& peer) {
  Statements& s = *statements_;
  Transaction transaction(s.begin, s.commit, s.rollback);
  s.save_peer.bind(1, peer.id.bytes()).bind(2, to_ms(peer.last_seen)).run();
  s.delete_addresses.bind(1, peer.id.bytes()).run();
  int64_t position = 0;
  for (const auto& address : peer.addresses) {
    const std::vector<uint8_t> bytes = address.bytes();
    s.save_address.bind(1, peer.id.bytes()).bind(2, position++).bind(3, bytes).run();
  }
  transaction.commit();
}

void Database::delete_peer(const identity::PeerId& peer) {
  Statements& s = *statements_;
  Transaction transaction(s.begin, s.commit, s.rollback);
  s.delete_peer.bind(1, peer.bytes()).run();
  s.delete_addresses.bind(1, peer.bytes()).run();
  transaction.commit();
}

std::vector<KnownPeer> Database::load_peers() {
  std::vector<KnownPeer> out;
  Statement& s = statements_->load_peers;
  while (s.step()) {
    auto id = identity::PeerId::from_bytes(s.blob(0));
    if (id) out.push_back(KnownPeer{*id, {}, from_ms(s.integer(1))});
  }
  Statement& a = statements_->load_addresses;
  for (KnownPeer& peer : out) {
    a.bind(1, peer.id.bytes());
    while (a.step()) {
      auto address = multiaddr::Multiaddr::from_bytes(a.blob(0));
      if (address && !address->empty()) peer.addresses.push_back(std::move(*address));
    }
  }
  return out;
}

}  // namespace prowl::kad
