#include "host/wire/reputation/store.h"

#include <sqlite3.h>

#include "host/base/sqlite/sqlite.h"

namespace prowl::reputation {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS reputation(
  peer BLOB PRIMARY KEY,
  performance REAL NOT NULL, reliability REAL NOT NULL, accuracy REAL NOT NULL,
  participation REAL NOT NULL, net_contribution REAL NOT NULL,
  valid INTEGER NOT NULL, invalid INTEGER NOT NULL, lost INTEGER NOT NULL,
  recent_invalid INTEGER NOT NULL, consecutive_valid INTEGER NOT NULL,
  quarantined_until_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
)sql";

int64_t to_ms(Time t) { return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(); }

Time from_ms(int64_t ms) {
  return Time(std::chrono::duration_cast<Time::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace

struct Store::Statements {
  explicit Statements(sqlite3* db)
      : save(db, "INSERT OR REPLACE INTO reputation VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
        load(db,
             "SELECT peer, performance, reliability, accuracy, participation, net_contribution, valid, invalid, lost, "
             "recent_invalid, consecutive_valid, quarantined_until_ms, updated_ms FROM reputation") {}
  sqlite::Statement save, load;
};

std::unique_ptr<Store> Store::open(const std::filesystem::path& file, std::string* error) {
  sqlite3* db = sqlite::open(file, "reputation database", kSchemaVersion, kSchema, error);
  if (db == nullptr) return nullptr;
  return std::unique_ptr<Store>(new Store(db));
}

Store::Store(sqlite3* db) : db_(db), statements_(std::make_unique<Statements>(db)) {}

Store::~Store() {
  statements_.reset();  // finalize every statement before closing
  sqlite3_close(db_);
}

void Store::save(const identity::PeerId& peer, const Record& r) {
  sqlite::Statement& s = statements_->save;
  s.bind(1, peer.bytes())
      .bind_real(2, r.performance)
      .bind_real(3, r.reliability)
      .bind_real(4, r.accuracy)
      .bind_real(5, r.participation)
      .bind_real(6, r.net_contribution)
      .bind(7, static_cast<int64_t>(r.valid))
      .bind(8, static_cast<int64_t>(r.invalid))
      .bind(9, static_cast<int64_t>(r.lost))
      .bind(10, static_cast<int64_t>(r.recent_invalid))
      .bind(11, static_cast<int64_t>(r.consecutive_valid))
      .bind(12, to_ms(r.quarantined_until))
      .bind(13, to_ms(r.updated));
  s.run();
}

std::vector<std::pair<identity::PeerId, Record>> Store::load_all() {
  std::vector<std::pair<identity::PeerId, Record>> out;
  sqlite::Statement& s = statements_->load;
  while (s.step()) {
    const std::vector<uint8_t> id = s.blob(0);
    std::string why;
    auto peer = identity::PeerId::from_bytes(id, &why);
    if (!peer) continue;
    Record r;
    r.performance = s.real(1);
    r.reliability = s.real(2);
    r.accuracy = s.real(3);
    r.participation = s.real(4);
    r.net_contribution = s.real(5);
    r.valid = static_cast<uint64_t>(s.integer(6));
    r.invalid = static_cast<uint64_t>(s.integer(7));
    r.lost = static_cast<uint64_t>(s.integer(8));
    r.recent_invalid = static_cast<uint32_t>(s.integer(9));
    r.consecutive_valid = static_cast<uint64_t>(s.integer(10));
    r.quarantined_until = from_ms(s.integer(11));
    r.updated = from_ms(s.integer(12));
    out.emplace_back(*peer, r);
  }
  return out;
}

Book::Book(Settings settings, std::unique_ptr<Store> store) : ledger_(settings), store_(std::move(store)) {
  for (const auto& [peer, record] : store_->load_all()) ledger_.load(peer, record);
}

const Record& Book::saved(const identity::PeerId& peer, const Record& record) {
  store_->save(peer, record);
  return record;
}

const Record& Book::valid_result(const identity::PeerId& peer, double speed, Time now) {
  return saved(peer, ledger_.valid_result(peer, speed, now));
}

const Record& Book::invalid_result(const identity::PeerId& peer, Time now) {
  return saved(peer, ledger_.invalid_result(peer, now));
}

const Record& Book::lost_task(const identity::PeerId& peer, Time now) {
  return saved(peer, ledger_.lost_task(peer, now));
}

const Record& Book::answered(const identity::PeerId& peer, bool answered, Time now) {
  return saved(peer, ledger_.answered(peer, answered, now));
}

}  // namespace prowl::reputation
